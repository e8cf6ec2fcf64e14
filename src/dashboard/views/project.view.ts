import { periodLabel } from '../../funding/period';
import type { ProjectModel } from '../dashboard.service';
import { html } from '../html';
import { layout } from './layout';
import { agreedHtml, chartFigure, millions, pounds, provenance } from './parts';

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
${agreedList(o)}
${o.shared.length ? html`<table><caption>Money shared with other projects (the deal does not split it)</caption><thead><tr><th scope="col">Group</th><th scope="col">Source</th><th scope="col" class="num">Whole group</th></tr></thead><tbody>${o.shared.map((s) => html`<tr><th scope="row">${s.poolCode}</th><td>${s.label}</td><td class="num">${pounds(s.pence)}</td></tr>`)}</tbody></table>` : ''}
${o.charts.map((c) => chartFigure(c, `${base}/data/${c.id}.csv`))}
<h2 id="sources">Where these figures come from</h2>
<table><caption>Each approved allocation with the words of the deal it comes from</caption>
<thead><tr><th scope="col">Source of money</th><th scope="col" class="num">Amount</th><th scope="col">Years</th><th scope="col">Commitment</th><th scope="col">Quoted from</th></tr></thead>
<tbody>${o.allocations.map((a) => html`<tr><th scope="row">${o.kinds.find((k) => k.code === a.sourceKind)?.label ?? a.sourceKind}${a.poolCode ? html` <span class="source">(shared: ${a.poolCode})</span>` : ''}${a.source.illustrative ? html` <span class="illustrative">(illustrative)</span>` : ''}</th><td class="num">${pounds(a.pence)}${agreedNote(o, a)}</td><td>${periodLabel(a.periodKind, a.yearFrom, a.yearTo)}</td><td>${a.commitmentStatus}</td><td>${provenance(a.source)}</td></tr>`)}</tbody></table>
${o.sections.map((s) => html`<section id="section-${s.id}"><h2>${s.heading}${s.illustrative ? html` <span class="illustrative">(illustrative)</span>` : ''}</h2>${s.body}</section>`)}
<p><a href="${prog}">Back to the programme overview</a></p>`;
  return layout({
    title: p.name,
    body,
    crumbs: [{ href: prog, label: o.programme.name }],
    illustrative:
      o.bySource.some((s) => s.illustrative) || o.agreed.some((l) => l.illustrative) || p.source.illustrative,
  });
}

const changeHref = (n: number) => `#change-request-${n}`;

/** The deal as agreed beside now, per source of this project's own money (every line, changed or not). */
function agreedList(o: ProjectModel) {
  const own = o.agreed.filter((l) => l.projectId === o.project.id);
  if (!own.length) return '';
  const label = (k: string) => o.kinds.find((x) => x.code === k)?.label ?? k;
  return html`<h3 id="agreed">The deal as agreed, and now</h3>
<p>The deal as agreed is the deal as loaded; it never changes. Each change is linked to the approved change request that made it (listed under “Change history”).</p>
<ul class="agreed-lines">${own.map((l) => html`<li data-source="${l.sourceKind}"><strong>${label(l.sourceKind)}</strong>: ${agreedHtml(l, changeHref)}</li>`)}</ul>`;
}

/** Beside an allocation quoted from the deal: what was agreed, where an approved change moved its line. */
function agreedNote(o: ProjectModel, a: ProjectModel['allocations'][number]) {
  const l = o.agreed.find(
    (x) => x.sourceKind === a.sourceKind && (a.poolCode ? x.poolCode === a.poolCode : x.projectId === o.project.id),
  );
  return l?.changed ? html`<div class="source">${agreedHtml(l, changeHref)}</div>` : '';
}
