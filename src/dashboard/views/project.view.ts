import { periodLabel } from '../../funding/period';
import type { ProjectModel } from '../dashboard.service';
import { html } from '../html';
import { layout } from './layout';
import { chartFigure, millions, pounds, provenance } from './parts';

const STATUS_WORDS: Record<string, string> = {
  pipeline: 'In the pipeline',
  approved: 'Approved',
  in_delivery: 'Being delivered',
  complete: 'Complete',
  withdrawn: 'Withdrawn',
};

export function projectPage(o: ProjectModel): string {
  const p = o.project;
  const prog = `/programmes/${encodeURIComponent(o.programme.code)}`;
  const base = `${prog}/projects/${encodeURIComponent(p.code)}`;
  const body = html`<h1>${p.name}</h1>
<p class="lede">${p.description ?? ''}</p>
<dl class="facts"><dt>Theme</dt><dd>${p.themeName ?? 'None'}</dd><dt>Location</dt><dd>${p.location ?? 'Not stated in the deal'}</dd><dt>Status</dt><dd>${STATUS_WORDS[p.status] ?? p.status}</dd><dt>Lead body</dt><dd>${p.leadName ?? 'Not stated in the deal'}</dd></dl>
${provenance(p.source)}
<h2 id="funding">Funding promised, by source</h2>
<p>In total ${millions(o.totalPence)} promised to this project alone${o.shared.length ? ', plus a share of money the deal gives to a group of projects without a split (below)' : ''}.</p>
<table><caption>${p.name}: funding by source (exact pounds)</caption>
<thead><tr><th scope="col">Source</th><th scope="col" class="num">Promised</th></tr></thead>
<tbody>${o.bySource.map((s) => html`<tr data-source="${s.code}"><th scope="row">${s.label}${s.illustrative ? html` <span class="illustrative">(illustrative)</span>` : ''}</th><td class="num">${pounds(s.pence)}</td></tr>`)}</tbody>
<tfoot><tr><th scope="row">Total</th><td class="num">${pounds(o.totalPence)}</td></tr></tfoot></table>
${o.shared.length ? html`<table><caption>Money shared with other projects (the deal does not split it)</caption><thead><tr><th scope="col">Group</th><th scope="col">Source</th><th scope="col" class="num">Whole group</th></tr></thead><tbody>${o.shared.map((s) => html`<tr><th scope="row">${s.poolCode}</th><td>${s.label}</td><td class="num">${pounds(s.pence)}</td></tr>`)}</tbody></table>` : ''}
${o.charts.map((c) => chartFigure(c, `${base}/data/${c.id}.csv`))}
<h2 id="sources">Where these figures come from</h2>
<table><caption>Each approved allocation with the words of the deal it comes from</caption>
<thead><tr><th scope="col">Source of money</th><th scope="col" class="num">Amount</th><th scope="col">Years</th><th scope="col">Commitment</th><th scope="col">Quoted from</th></tr></thead>
<tbody>${o.allocations.map((a) => html`<tr><th scope="row">${o.kinds.find((k) => k.code === a.sourceKind)?.label ?? a.sourceKind}${a.poolCode ? html` <span class="source">(shared: ${a.poolCode})</span>` : ''}${a.source.illustrative ? html` <span class="illustrative">(illustrative)</span>` : ''}</th><td class="num">${pounds(a.pence)}</td><td>${periodLabel(a.periodKind, a.yearFrom, a.yearTo)}</td><td>${a.commitmentStatus}</td><td>${provenance(a.source)}</td></tr>`)}</tbody></table>
${o.sections.map((s) => html`<section id="section-${s.id}"><h2>${s.heading}${s.illustrative ? html` <span class="illustrative">(illustrative)</span>` : ''}</h2>${s.body}</section>`)}
<p><a href="${prog}">Back to the programme overview</a></p>`;
  return layout({
    title: p.name,
    body,
    crumbs: [{ href: prog, label: o.programme.name }],
    illustrative: o.bySource.some((s) => s.illustrative) || p.source.illustrative,
  });
}
