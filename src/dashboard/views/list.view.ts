import type { Programme } from '../../programmes/programme.entity';
import { html } from '../html';
import { layout } from './layout';

export function listPage(programmes: Programme[]): string {
  const body = html`<h1>Growth Deals</h1>
<p class="lede">How much public money each Local Enterprise Partnership's Growth Deal promised, to which projects, and whether the figures add up. No login needed.</p>
${
  programmes.length
    ? html`<table><caption>Programmes</caption><thead><tr><th scope="col">Programme</th><th scope="col">Runs</th></tr></thead><tbody>${programmes.map((p) => html`<tr><th scope="row"><a href="/programmes/${encodeURIComponent(p.code)}">${p.name}</a>${p.synthetic ? html` <span class="illustrative">(synthetic data)</span>` : ''}</th><td>${p.startsOn} to ${p.endsOn}</td></tr>`)}</tbody></table>`
    : html`<p>No programme has been loaded yet.</p>`
}`;
  return layout({ title: 'Growth Deals', body });
}
