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
 * The committee briefing: the overview's figures for an agenda pack. Each part starts a new
 * printed page (class "page"), so the PDF has one page per part when each fits on A4.
 */
export function briefingPage(o: OverviewModel, generatedAt: string): string {
  const base = `/programmes/${encodeURIComponent(o.programme.code)}`;
  const body = html`<div class="briefing"><section class="page"><h1>Committee briefing: ${o.programme.name}</h1>
<p class="lede">Reporting quarter ${o.programme.reportingQuarter}. Prepared from the tracker's approved figures on ${generatedAt.slice(0, 10)}.</p>
${glance(o)}</section>
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
  });
}
