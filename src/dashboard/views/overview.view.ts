import { displayPounds, parsePounds, sumMoney, type Money } from '../../common/money';
import { describeMoney } from '../../reconciliation/engine';
import { html, join, type Html } from '../html';
import type { OverviewModel, ProgrammeInfo } from '../overview.model';
import { longDate } from '../delivery/links';
import { STATUS_WORDS } from '../overview.model';
import { agreedHtml, chartFigure, millions, pounds, provenance } from './parts';
import { layout } from './layout';

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const STATUS_ORDER = ['unreconciled', 'not_met', 'within_rounding', 'not_comparable', 'met', 'reconciled'];

function money(unit: string, v: Money | null): string {
  if (v === null) return '–';
  return unit === 'pounds' ? displayPounds(v) : `${v.toLocaleString('en-GB')} ${unit}`;
}

/**
 * The header's reporting quarter, in programme time: a quarter whose return is past its due date
 * on the programme's as-of date says it is overdue (the rule is periods/programme-clock's).
 */
function reportingLine(p: ProgrammeInfo): string {
  const r = p.reportingReturn;
  if (r?.status === 'overdue') {
    const ago = `${r.daysLate.toLocaleString('en-GB')} day${r.daysLate === 1 ? '' : 's'} ago`;
    return `Reporting quarter: ${p.reportingQuarter} (not yet submitted, and overdue: its return was due ${longDate(r.dueOn)}, ${ago}).`;
  }
  return `Reporting quarter: ${p.reportingQuarter} (not yet submitted).`;
}

/** At a glance: what was promised, by whom, and whether the documents agree. */
/** `print`: for paper (the briefing), where a link cannot be followed: the words say where to look. */
export function glance(o: OverviewModel, print = false): Html {
  const gov = sumMoney(o.bySource.filter((s) => s.capital && !s.isMatch).map((x) => x.pence));
  const match = sumMoney(o.bySource.filter((s) => s.capital && s.isMatch).map((x) => x.pence));
  const r = o.reconciliation.summary.byStatus;
  return html`<div class="cards">
<p class="card"><span class="big">${millions(o.capitalPence)}</span>capital funding promised in total</p>
<p class="card"><span class="big">${millions(gov)}</span>from Government (Local Growth Fund and related)</p>
<p class="card"><span class="big">${millions(match)}</span>match funding from local partners and the private sector</p>
<p class="card"><span class="big">${o.projects.length}</span>projects</p>
</div>
${deliveryGlance(o)}
<p>${r.reconciled + r.met} of the deal's stated figures agree exactly with what the projects add up to, ${r.within_rounding} agree within rounding, ${r.unreconciled + r.not_met} do not agree and ${r.not_comparable} cannot be compared yet. ${print ? html`The reasons are under “What the documents say vs what the projects add up to”.` : html`<a href="#documents-vs-projects">See why</a>.`}</p>`;
}

/**
 * Delivery at a glance, from the sections the delivery features provide: spent against profile,
 * late milestones, project RAG, jobs and homes. Nothing is shown for what has no data yet.
 */
export function deliveryGlance(o: OverviewModel): Html {
  const section = (id: string) => o.sections.find((s) => s.id === id);
  const mark = (illustrative: boolean | undefined) =>
    illustrative ? html` <span class="illustrative">(illustrative)</span>` : '';
  const cards: Html[] = [];
  const spend = section('spend-to-date');
  const sd = spend?.data as { lastSubmittedQuarter: string; spentToDate: string; profiledToDate: string } | undefined;
  if (sd) {
    const spent = parsePounds(sd.spentToDate);
    cards.push(
      html`<p class="card"><span class="big" title="${displayPounds(spent)}">${millions(spent)}</span>spent to the end of ${sd.lastSubmittedQuarter}, against ${millions(parsePounds(sd.profiledToDate))} profiled${mark(spend!.illustrative)}</p>`,
    );
  }
  const late = section('late-milestones');
  const ld = late?.data as
    { milestones: number; tally: { late: number; overdue: number; slipped: number } } | undefined;
  if (ld)
    cards.push(
      html`<p class="card"><span class="big">${ld.tally.late} of ${ld.milestones}</span>project milestones late (${ld.tally.overdue} overdue, ${ld.tally.slipped} slipped; completed ones are not late)${mark(late!.illustrative)}</p>`,
    );
  const rag = section('rag');
  const rd = rag?.data as { counts: Record<string, number> } | undefined;
  if (rd?.counts)
    cards.push(
      html`<p class="card"><span class="big">${rd.counts.red ?? 0} red</span>projects off track (${rd.counts.amber ?? 0} amber, ${rd.counts.green ?? 0} green)${mark(rag!.illustrative)}</p>`,
    );
  const jobs = o.promises
    .filter((p) => p.unit === 'jobs' && p.delivered !== null)
    .sort((a, b) => b.stated - a.stated)[0];
  if (jobs) {
    const chart = o.charts.find((c) => c.id === 'jobs-homes-delivered');
    cards.push(
      html`<p class="card"><span class="big">${jobs.delivered!.toLocaleString('en-GB')}</span>jobs delivered so far, against ${jobs.qualifier === 'at_least' ? 'at least ' : ''}${jobs.stated.toLocaleString('en-GB')} promised${mark(chart?.illustrative)} <span class="definition">${o.delivered.definition}</span></p>`,
    );
  }
  return cards.length ? html`<div class="cards" id="delivery-glance">${cards}</div>` : html``;
}

export function fundingBySource(o: OverviewModel, base: string, compact = false): Html {
  return html`<h2 id="funding">Funding promised, by source</h2>
<p>What the approved allocations add up to for each source of money, beside what the deal documents state for the same total.</p>
<table><caption>Funding promised by source against the deal's stated figures</caption>
<thead><tr><th scope="col">Source</th><th scope="col" class="num">Promised (allocations)</th><th scope="col">The deal says</th><th scope="col">Agreement</th></tr></thead>
<tbody>${o.bySource.map(
    (
      s,
    ) => html`<tr><th scope="row">${s.label}${s.capital ? '' : html` <span class="source">(revenue, outside the capital total)</span>`}${s.illustrative ? html` <span class="illustrative">(illustrative)</span>` : ''}</th><td class="num">${pounds(s.pence)}</td>
<td>${s.stated.length ? join(s.stated.map((h) => html`<div><span title="${displayPounds(h.pence)} (printed “${h.printed ?? ''}”)">${describeMoney(h.pence)}</span> ${compact ? html`<span class="source">(${h.document ?? 'source not stated'})</span>` : provenance(h)}</div>`)) : html`<span class="source">No separate figure in the documents</span>`}</td>
<td>${join(s.stated.map((h) => html`<div class="status status-${h.status}">${STATUS_WORDS[h.status]}</div>`))}</td></tr>`,
  )}</tbody>
<tfoot><tr><th scope="row">Capital total</th><td class="num">${pounds(o.capitalPence)}</td><td></td><td></td></tr></tfoot></table>
${compact ? '' : o.charts.filter((c) => c.id === 'funding-by-source').map((c) => chartFigure(c, `${base}/data/${c.id}.csv`))}`;
}

export function fundingByYear(o: OverviewModel, base: string): Html {
  const cols = o.byYear.columns;
  return html`<h2 id="years">Funding promised, by year</h2>
<p>The deal gives most project figures without a year split (“unprofiled”). No split is invented: such money is shown as unprofiled, and the deal's own table by year is shown beside it.</p>
<table><caption>Approved allocations by source and year</caption>
<thead><tr><th scope="col">Source</th>${cols.map((c) => html`<th scope="col" class="num">${c}</th>`)}<th scope="col" class="num">Total</th></tr></thead>
<tbody>${o.byYear.rows.map((r) => html`<tr><th scope="row">${r.label}</th>${cols.map((c) => html`<td class="num">${r.cellsPence[c] ? pounds(r.cellsPence[c]) : '–'}</td>`)}<td class="num">${pounds(r.totalPence)}</td></tr>`)}</tbody></table>
${o.charts.filter((c) => c.id === 'deal-table-by-year').map((c) => chartFigure(c, `${base}/data/${c.id}.csv`, 'v'))}`;
}

export function projectsTable(o: OverviewModel, base: string, withChart = true): Html {
  const theme = withChart; // the printed briefing leaves the theme column out to fit the page
  const kinds = o.bySource.filter((s) => s.capital);
  return html`<h2 id="projects">Projects</h2>
<table><caption>Capital funding promised to each project, by source (exact pounds)</caption>
<thead><tr><th scope="col">Project</th>${theme ? html`<th scope="col">Theme</th>` : ''}${kinds.map((k) => html`<th scope="col" class="num">${k.label}</th>`)}<th scope="col" class="num">Total</th></tr></thead>
<tbody>${o.projects.map(
    (p) =>
      html`<tr><th scope="row"><a href="${base}/projects/${encodeURIComponent(p.code)}">${p.name}</a>${p.illustrative ? html` <span class="illustrative">(illustrative)</span>` : ''}${p.status === 'withdrawn' ? ' (withdrawn)' : ''}</th>${theme ? html`<td>${p.themeName ?? '–'}</td>` : ''}${kinds.map((k) => html`<td class="num">${p.bySourcePence[k.code] ? pounds(p.bySourcePence[k.code]) : '–'}</td>`)}<td class="num">${pounds(p.totalPence)}</td></tr>`,
  )}
${o.pools.filter((p) => p.totalPence > 0).map((p) => html`<tr><th scope="row">Shared by ${p.members.map((m) => m.name).join(', ')} <span class="source">(the deal does not split this money)</span></th>${theme ? html`<td></td>` : ''}${kinds.map((k) => html`<td class="num">${p.bySourcePence[k.code] ? pounds(p.bySourcePence[k.code]) : '–'}</td>`)}<td class="num">${pounds(p.totalPence)}</td></tr>`)}
</tbody></table>
${
  o.programmeLevel.length
    ? html`<p>Also for the programme as a whole: ${join(
        o.programmeLevel.map((x) => html`${x.label} ${pounds(x.pence)} (${x.period})`),
        '; ',
      )}.</p>`
    : ''
}
${withChart ? o.charts.filter((c) => c.id === 'funding-by-project').map((c) => chartFigure(c, `${base}/data/${c.id}.csv`)) : ''}`;
}

/**
 * The deal as agreed beside now: every line an approved change request moved, each change
 * linked to the request on the project's page; every line (changed or not) in the CSV.
 */
export function agreedVsNow(o: OverviewModel, base: string, compact = false): Html {
  const changed = o.agreed.filter((l) => l.changed);
  const kind = (k: string) => o.bySource.find((s) => s.code === k)?.label ?? k;
  const holder = (l: OverviewModel['agreed'][number]) => {
    if (l.projectCode) return o.projects.find((p) => p.code === l.projectCode)?.name ?? l.projectCode;
    if (l.poolCode) {
      const pool = o.pools.find((p) => p.code === l.poolCode);
      return pool ? `Shared by ${pool.members.map((m) => m.name).join(', ')}` : l.poolCode;
    }
    return 'The programme as a whole';
  };
  const href = (l: OverviewModel['agreed'][number]) => (n: number) =>
    l.projectCode
      ? `${base}/projects/${encodeURIComponent(l.projectCode)}#change-request-${n}`
      : `${base}/changes-since-last-return#change-request-${n}`;
  return html`<h2 id="agreed">The deal as agreed, and now</h2>
<p>The deal as agreed is the deal as it was loaded, and it never changes. Where an approved change request has moved money since, the current approved allocation is shown beside it with the change and the request that made it.${compact ? '' : html` <a class="csv" href="${base}/data/agreed-vs-now.csv" download>Download CSV</a> (every line, changed or not).`}</p>
${
  changed.length
    ? html`<ul class="agreed-lines">${changed.map((l) => html`<li data-line="${l.projectCode ?? l.poolCode ?? 'PROGRAMME'}|${l.sourceKind}"><strong>${holder(l)}, ${kind(l.sourceKind)}</strong>: ${agreedHtml(l, href(l))}</li>`)}</ul><p>Every other line is as agreed.</p>`
    : html`<p>No approved change request has moved any money: every figure is as agreed.</p>`
}`;
}

/** "What the documents say vs what the projects add up to", in plain words. */
export function documentsVsProjects(o: OverviewModel, compact = false): Html {
  const lines = [...o.reconciliation.lines].sort(
    (a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status),
  );
  const shown = compact ? lines.filter((l) => l.status === 'unreconciled' || l.status === 'not_met') : lines;
  const r = o.reconciliation.summary.byStatus;
  const rest = compact
    ? html`<p>${r.reconciled + r.met} figures agree exactly${r.within_rounding ? `, ${r.within_rounding} within rounding` : ''}; ${r.not_comparable} cannot be compared yet (the deal gives no year split for most projects, and no jobs or homes have been reported). The full list is on the dashboard.</p>`
    : '';
  return html`<h2 id="documents-vs-projects">What the documents say vs what the projects add up to</h2>
<p>Each figure the deal documents state is set beside the sum of the allocations (or other figures) it covers. Nothing is forced to agree: where they differ, the difference is shown and explained.</p>
${o.reconciliation.conflicts.length ? html`<h3>Where the documents disagree with each other</h3><ul>${o.reconciliation.conflicts.map((c) => html`<li>${c.explanation}</li>`)}</ul>` : ''}
${rest}<table><caption>Stated figures against the allocations${compact ? ' that do not agree' : ''}</caption>
<thead><tr><th scope="col">Figure</th><th scope="col" class="num">Stated</th><th scope="col" class="num">Adds up to</th><th scope="col">Agreement</th><th scope="col">Why, and where the figure comes from</th></tr></thead>
<tbody>${shown.map(
    (l) =>
      html`<tr><th scope="row">${l.label}${l.illustrative ? html` <span class="illustrative">(illustrative)</span>` : ''}<div class="source comparison">${capitalise(l.comparison)}</div>${l.table ? html`<div class="source">${l.table.name}: ${l.table.row}, ${l.table.column}</div>` : ''}</th><td class="num">${l.provenance.printed ? html`<span title="${money(l.unit, l.stated)}">${l.provenance.printed}</span>` : money(l.unit, l.stated)}</td><td class="num">${money(l.unit, l.computed)}</td><td class="status status-${l.status}">${STATUS_WORDS[l.status]}</td><td>${l.explanation || `${capitalise(l.comparison)}, the figures agree to the penny.`}${compact ? html`<div class="source">Source: ${l.provenance.document ?? 'not stated'}</div>` : provenance(l.provenance)}</td></tr>`,
  )}</tbody></table>`;
}

/** Jobs and homes delivered (to the end of the last submitted quarter) against each promise the documents make. */
export function jobsAndHomes(o: OverviewModel, base: string, compact = false): Html {
  if (!o.promises.length || o.promises.every((p) => p.delivered === null)) return html``;
  const chart = o.charts.find((c) => c.id === 'jobs-homes-delivered');
  const metricWords: Record<string, string> = { JOBS_CREATED: 'jobs', HOMES_COMPLETED: 'homes' };
  return html`<section id="section-jobs-homes"><h2 id="jobs-homes">Jobs and homes delivered against the deal's promises${chart?.illustrative ? html` <span class="illustrative">(illustrative)</span>` : ''}</h2>
<p>${o.delivered.definition} The promises are the deal documents' own figures.</p>
<table id="promises"><caption>Promises about jobs and homes, and what has been delivered</caption>
<thead><tr><th scope="col">Promise</th><th scope="col" class="num">Promised</th><th scope="col" class="num">Delivered so far</th><th scope="col">Where the promise comes from</th></tr></thead>
<tbody>${o.promises.map((p) => html`<tr data-headline="${p.code}"><th scope="row">${p.label}</th><td class="num">${p.qualifier === 'at_least' ? 'at least ' : ''}${p.stated.toLocaleString('en-GB')} ${p.unit}</td><td class="num">${p.delivered === null ? '–' : `${p.delivered.toLocaleString('en-GB')} ${p.unit}`}</td><td>${p.document ?? 'not stated'}</td></tr>`)}</tbody></table>
${
  o.doubleClaims.length
    ? html`<p class="note" id="double-claims">Counted once: ${join(
        o.doubleClaims.map(
          (d) =>
            html`${d.claims} shared claim${d.claims === 1 ? '' : 's'} of ${metricWords[d.metric] ?? d.metric} made by more than one project (${d.claimed.toLocaleString('en-GB')} claimed, ${d.removed.toLocaleString('en-GB')} not counted twice, ${d.total.toLocaleString('en-GB')} counted)`,
        ),
        '; ',
      )}.</p>`
    : ''
}
${!compact && chart ? chartFigure(chart, `${base}/data/${chart.id}.csv`) : ''}</section>`;
}

/**
 * The programme page leads with delivery (at a glance, RAG, spend, late milestones, jobs and
 * homes), then the money promised; the full reconciliation of the deal's stated figures, long on
 * a phone, is its own page one link away (reconciliationPage), summarised here in one paragraph.
 */
export function overviewPage(o: OverviewModel): string {
  const base = `/programmes/${encodeURIComponent(o.programme.code)}`;
  const body = html`<h1>${o.programme.name}</h1>
<p class="lede">${o.programme.description ?? ''}</p>
<p>Runs ${o.programme.startsOn} to ${o.programme.endsOn}. ${o.programme.closed ? `Every quarterly return has been submitted, the last for ${o.programme.reportingQuarter} (the final quarter).` : reportingLine(o.programme)} <a href="${base}/briefing">Printable committee briefing</a> · <a href="${base}/changes-since-last-return">What changed since the last return</a> · <a href="${base}/returns">Submitted returns</a> · <a href="${base}/reconciliation">What the documents say vs what the projects add up to</a> · <a href="/api/programmes/${encodeURIComponent(o.programme.code)}/overview">this page as JSON</a></p>
${glance(o)}
${o.sections.map((s) => html`<section id="section-${s.id}"><h2>${s.heading}${s.illustrative ? html` <span class="illustrative">(illustrative)</span>` : ''}</h2>${s.body}</section>`)}
${jobsAndHomes(o, base)}
${fundingBySource(o, base)}
${fundingByYear(o, base)}
${projectsTable(o, base)}
${agreedVsNow(o, base)}
${reconciliationSummary(o, base)}`;
  return layout({ title: o.programme.name, body, crumbs: [], illustrative: o.illustrative });
}

/** The programme page's pointer to the reconciliation: the counts, the disagreements named, and the link. */
function reconciliationSummary(o: OverviewModel, base: string): Html {
  const r = o.reconciliation.summary.byStatus;
  const disagree = o.reconciliation.lines.filter((l) => l.status === 'unreconciled' || l.status === 'not_met');
  return html`<section id="reconciliation-summary"><h2 id="documents-vs-projects">What the documents say vs what the projects add up to</h2>
<p>Of the ${o.reconciliation.lines.length} figures the deal documents state, ${r.reconciled + r.met} agree exactly with what the projects add up to, ${r.within_rounding} agree within rounding, ${disagree.length} do not agree and ${r.not_comparable} cannot be compared yet${o.reconciliation.conflicts.length ? `; in ${o.reconciliation.conflicts.length} place${o.reconciliation.conflicts.length === 1 ? '' : 's'} the documents disagree with each other` : ''}.</p>
<p><a href="${base}/reconciliation">Every stated figure against the allocations, with why and where it comes from</a></p></section>`;
}

/** The full reconciliation, one link from the programme page: the same table the page used to carry. */
export function reconciliationPage(o: OverviewModel): string {
  const base = `/programmes/${encodeURIComponent(o.programme.code)}`;
  const body = html`<h1>${o.programme.name}: what the documents say vs what the projects add up to</h1>
<p class="lede">Reporting quarter ${o.programme.reportingQuarter}. <a href="${base}">Back to the programme page</a> · <a href="/api/programmes/${encodeURIComponent(o.programme.code)}/reconciliation">these figures as JSON</a></p>
${documentsVsProjects(o)}`;
  return layout({
    title: `What the documents say vs what the projects add up to: ${o.programme.name}`,
    body,
    crumbs: [{ href: base, label: o.programme.name }],
    illustrative: o.illustrative,
  });
}
