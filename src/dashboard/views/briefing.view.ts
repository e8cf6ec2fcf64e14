import { html } from '../html';
import type { OverviewModel } from '../overview.model';
import { layout } from './layout';
import {
  agreedVsNow,
  documentsVsProjects,
  fundingBySource,
  glance,
  jobsAndHomes,
  projectsTable,
} from './overview.view';

/**
 * The committee briefing: the overview's figures for an agenda pack. The parts follow each other
 * on A4 portrait (no part starts a half-empty page), the wide projects table on a landscape page;
 * no words that only make sense on a screen.
 */
export function briefingPage(o: OverviewModel, generatedAt: string): string {
  const base = `/programmes/${encodeURIComponent(o.programme.code)}`;
  const body = html`<div class="briefing"><section class="page"><h1>Committee briefing: ${o.programme.name}</h1>
<p class="lede">Reporting quarter ${o.programme.reportingQuarter}. Prepared from the tracker's approved figures on ${generatedAt.slice(0, 10)}.</p>
${glance(o, true)}</section>
<section class="page">${fundingBySource(o, base, true)}</section>
<section class="page wide">${projectsTable(o, base, false)}${agreedVsNow(o, base, true)}</section>
<section class="page">${documentsVsProjects(o, true)}</section>
${o.promises.some((p) => p.delivered !== null) ? html`<section class="page">${jobsAndHomes(o, base, true)}</section>` : ''}
${o.sections.map((s) => html`<section class="page" id="section-${s.id}"><h2>${s.heading}${s.illustrative ? html` <span class="illustrative">(illustrative)</span>` : ''}</h2>${s.body}</section>`)}</div>`;
  return layout({
    title: `Briefing: ${o.programme.name}`,
    body,
    crumbs: [{ href: base, label: o.programme.name }],
    illustrative: o.illustrative,
    generatedAt,
    print: true,
  });
}
