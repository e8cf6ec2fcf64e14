import { displayPounds, exactPence, parsePounds, sumMoney, type Money } from '../../common/money';
import type { ChartData } from '../../dashboard/charts';
import { longDate } from '../../dashboard/delivery/links';
import { STATUS_WORDS, type OverviewModel, type ProgrammeInfo } from '../../dashboard/overview.model';
import { combineAgreed } from '../../changes/agreed.queries';
import { describeMoney } from '../../reconciliation/engine';
import { verdictWords } from '../../reconciliation/reconciliation-present';
import { agreedView, chartFigureView, lineAgreedView, sectionView } from './page-parts';

/**
 * The programme page, its reconciliation page and the committee briefing, shaped for
 * views/public/programme*.njk and briefing.njk: words and figures, no markup. The templates lay
 * the parts out (programme-parts.njk); every figure here is the overview model's.
 */

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const STATUS_ORDER = ['unreconciled', 'not_met', 'within_rounding', 'not_comparable', 'met', 'reconciled'];

/** A stated or computed figure: pounds, or a count with its unit; a dash where there is none. */
function figure(unit: string, v: Money | null): string {
  if (v === null) return '–';
  return unit === 'pounds' ? displayPounds(v) : `${v.toLocaleString('en-GB')} ${unit}`;
}

/**
 * The header's reporting quarter, in programme time: a quarter whose return is past its due date
 * on the programme's as-of date says it is overdue (the rule is periods/programme-clock's).
 */
function reportingLine(p: ProgrammeInfo): string {
  if (p.closed)
    return `Every quarterly return has been submitted, the last for ${p.reportingQuarter} (the final quarter).`;
  const r = p.reportingReturn;
  if (r?.status === 'overdue') {
    const ago = `${r.daysLate.toLocaleString('en-GB')} day${r.daysLate === 1 ? '' : 's'} ago`;
    return `Reporting quarter: ${p.reportingQuarter} (not yet submitted, and overdue: its return was due ${longDate(r.dueOn)}, ${ago}).`;
  }
  return `Reporting quarter: ${p.reportingQuarter} (not yet submitted).`;
}

/**
 * Delivery at a glance, from the sections the delivery features provide: spent against profile,
 * late milestones, project RAG, jobs and homes. Nothing is shown for what has no data yet.
 */
function deliveryCards(o: OverviewModel) {
  const section = (id: string) => o.sections.find((s) => s.id === id);
  const cards: Record<string, unknown>[] = [];
  const spend = section('spend-to-date');
  const sd = spend?.data as { lastSubmittedQuarter: string; spentToDate: string; profiledToDate: string } | undefined;
  if (sd)
    cards.push({
      kind: 'spend',
      spentPence: parsePounds(sd.spentToDate),
      profiledPence: parsePounds(sd.profiledToDate),
      quarter: sd.lastSubmittedQuarter,
      illustrative: spend!.illustrative,
    });
  const late = section('late-milestones');
  const ld = late?.data as
    { milestones: number; tally: { late: number; overdue: number; slipped: number } } | undefined;
  if (ld) cards.push({ kind: 'late', milestones: ld.milestones, ...ld.tally, illustrative: late!.illustrative });
  const rag = section('rag');
  const rd = rag?.data as { counts: Record<string, number> } | undefined;
  if (rd?.counts)
    cards.push({
      kind: 'rag',
      red: rd.counts.red ?? 0,
      amber: rd.counts.amber ?? 0,
      green: rd.counts.green ?? 0,
      illustrative: rag!.illustrative,
    });
  const jobs = o.promises
    .filter((p) => p.unit === 'jobs' && p.delivered !== null)
    .sort((a, b) => b.stated - a.stated)[0];
  if (jobs)
    cards.push({
      kind: 'jobs',
      delivered: jobs.delivered,
      atLeast: jobs.qualifier === 'at_least',
      stated: jobs.stated,
      illustrative: o.charts.find((c) => c.id === 'jobs-homes-delivered')?.illustrative,
      definition: o.delivered.definition,
    });
  return cards;
}

const byMoneyDesc = (a: Money, b: Money) => {
  const d = exactPence(b) - exactPence(a);
  return d > 0n ? 1 : d < 0n ? -1 : 0;
};

/** The funding-by-project chart with only the shown projects' bars (and the shared pools'); its CSV keeps every one. */
function onlyBars(c: ChartData, codes: ReadonlySet<string>, pools: readonly { code: string }[]): ChartData {
  const keep = new Set([...codes, ...pools.map((p) => p.code)]);
  const idx = c.categories.flatMap((x, i) => (keep.has(x.key) ? [i] : []));
  return {
    ...c,
    title: `${c.title}: the ${codes.size} projects with the most promised`,
    categories: idx.map((i) => c.categories[i]),
    values: idx.map((i) => c.values[i]),
  };
}

/** Who holds an agreed line: a project, the projects sharing a pool, or the programme. */
function holder(o: OverviewModel, l: OverviewModel['agreed'][number]): string {
  if (l.projectCode) return o.projects.find((p) => p.code === l.projectCode)?.name ?? l.projectCode;
  if (l.poolCode) {
    const pool = o.pools.find((p) => p.code === l.poolCode);
    return pool ? `Shared by ${pool.members.map((m) => m.name).join(', ')}` : l.poolCode;
  }
  return 'The programme as a whole';
}

/** How many rows a long list shows on the programme page; the page at ?all=1 shows every one. */
export const PAGE_LIST_LIMIT = 25;

/**
 * `listLimit`: long lists (the projects table and its chart) show the projects with the most
 * capital promised, this many, with a link to the full lists (the page at ?all=1).
 */
export function programmePageView(o: OverviewModel, opts: { listLimit?: number } = {}) {
  const code = encodeURIComponent(o.programme.code);
  const base = `/programmes/${code}`;
  const limit = opts.listLimit;
  const cut = limit !== undefined && o.projects.length > limit;
  // The largest first (by capital promised, then code): the summary leads with where the money is.
  const shownProjects = cut
    ? [...o.projects]
        .sort((a, b) => byMoneyDesc(a.totalPence, b.totalPence) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
        .slice(0, limit)
    : o.projects;
  const shownCodes = new Set(shownProjects.map((p) => p.code));
  const pools = o.pools.filter((p) => p.totalPence > 0);
  const r = o.reconciliation.summary.byStatus;
  const chart = (id: string, orientation: 'h' | 'v' = 'h') =>
    o.charts
      .filter((c) => c.id === id)
      .map((c) =>
        chartFigureView(
          id === 'funding-by-project' && cut ? onlyBars(c, shownCodes, pools) : c,
          `${base}/data/${c.id}.csv`,
          orientation,
        ),
      );
  const kindLabel = (k: string) => o.bySource.find((s) => s.code === k)?.label ?? k;
  // Where a change request is listed: the page of a project it moved (every project page lists
  // each approved request that touched it), else the changes since the last return.
  const changeHref = (n: number, project: string | null) =>
    project
      ? `${base}/projects/${encodeURIComponent(project)}#change-request-${n}`
      : `${base}/changes-since-last-return#change-request-${n}`;
  // A holder's capital lines read as one, as agreed beside now (a kind not known as revenue counts as capital).
  const revenue = new Set(o.bySource.filter((s) => !s.capital).map((s) => s.code));
  const holderAgreed = (mine: (l: OverviewModel['agreed'][number]) => boolean, project: string | null) =>
    agreedView(
      combineAgreed(
        o.agreed.filter((l) => !revenue.has(l.sourceKind) && mine(l)),
        { projectId: null, poolId: null, sourceKind: '' },
      ),
      (n) => changeHref(n, project),
    );
  const lines = [...o.reconciliation.lines]
    .sort((a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status))
    .map((l) => ({
      label: l.label,
      illustrative: l.illustrative,
      comparison: capitalise(l.comparison),
      table: l.table,
      printed: l.provenance.printed,
      stated: figure(l.unit, l.stated),
      computed: figure(l.unit, l.computed),
      status: l.status,
      statusWords: STATUS_WORDS[l.status],
      // The verdict says which comparison it is: one headline can give two lines with opposite
      // verdicts (the table's own arithmetic, and the same total against the allocations).
      verdict: verdictWords(l),
      agreed: lineAgreedView(l.agreed, !!l.illustrative, changeHref),
      explanation:
        l.explanation ||
        `${capitalise(l.comparison)}, the figures agree ${l.unit === 'pounds' ? 'to the penny' : 'exactly'}.`,
      provenance: l.provenance,
      disagrees: l.status === 'unreconciled' || l.status === 'not_met',
    }));
  const jobsHomesChart = o.charts.find((c) => c.id === 'jobs-homes-delivered');
  const metricWords: Record<string, string> = { JOBS_CREATED: 'jobs', HOMES_COMPLETED: 'homes' };
  return {
    programme: o.programme,
    title: o.programme.name,
    illustrative: o.illustrative,
    base,
    apiBase: `/api/programmes/${code}`,
    reportingLine: reportingLine(o.programme),
    glance: {
      capitalPence: o.capitalPence,
      governmentPence: sumMoney(o.bySource.filter((s) => s.capital && !s.isMatch).map((x) => x.pence)),
      matchPence: sumMoney(o.bySource.filter((s) => s.capital && s.isMatch).map((x) => x.pence)),
      projects: o.projects.length,
      agree: r.reconciled + r.met,
      withinRounding: r.within_rounding,
      disagree: r.unreconciled + r.not_met,
      notComparable: r.not_comparable,
      deliveryCards: deliveryCards(o),
    },
    sections: o.sections.map(sectionView),
    bySource: o.bySource.map((s) => ({
      label: s.label,
      capital: s.capital,
      illustrative: s.illustrative,
      pence: s.pence,
      stated: s.stated.map((h) => ({
        ...h,
        exact: displayPounds(h.pence),
        described: describeMoney(h.pence),
        statusWords: STATUS_WORDS[h.status],
      })),
    })),
    capitalPence: o.capitalPence,
    fundingBySourceChart: chart('funding-by-source'),
    byYear: o.byYear,
    byYearChart: chart('deal-table-by-year', 'v'),
    capitalKinds: o.bySource.filter((s) => s.capital).map((k) => ({ code: k.code, label: k.label })),
    projects: shownProjects.map((p) => ({
      ...p,
      href: `${base}/projects/${encodeURIComponent(p.code)}`,
      agreed: holderAgreed((l) => l.projectCode === p.code, p.code),
    })),
    /** Set when the projects are cut to the largest: how many of how many, and where every one is. */
    projectsMore: cut
      ? { shown: shownProjects.length, total: o.projects.length, href: `${base}?all=1#projects` }
      : null,
    pools: pools.map((p) => ({
      ...p,
      sharedBy: p.members.map((m) => m.name).join(', '),
      agreed: holderAgreed((l) => l.poolCode === p.code, null),
    })),
    programmeLevel: o.programmeLevel,
    fundingByProjectChart: chart('funding-by-project'),
    // The deal as agreed beside now: every line an approved change request moved, each change
    // linked to the request on the project's page (or the changes page for pools and the programme).
    agreedChanged: o.agreed
      .filter((l) => l.changed)
      .map((l) => ({
        key: `${l.projectCode ?? l.poolCode ?? 'PROGRAMME'}|${l.sourceKind}`,
        holder: holder(o, l),
        kind: kindLabel(l.sourceKind),
        line: agreedView(l, (n) => changeHref(n, l.projectCode)),
      })),
    reconciliation: {
      conflicts: o.reconciliation.conflicts,
      lines,
      count: o.reconciliation.lines.length,
      agree: r.reconciled + r.met,
      withinRounding: r.within_rounding,
      disagree: lines.filter((l) => l.disagrees).length,
      notComparable: r.not_comparable,
      // Split by what is compared (money, or outputs such as jobs and homes): each line says its own why.
      notComparableMoney: o.reconciliation.lines.filter((l) => l.status === 'not_comparable' && l.unit === 'pounds')
        .length,
      notComparableOther: o.reconciliation.lines.filter((l) => l.status === 'not_comparable' && l.unit !== 'pounds')
        .length,
    },
    jobsHomes:
      !o.promises.length || o.promises.every((p) => p.delivered === null)
        ? null
        : {
            illustrative: !!jobsHomesChart?.illustrative,
            definition: o.delivered.definition,
            promises: o.promises,
            doubleClaims: o.doubleClaims.map((d) => ({ ...d, metricWords: metricWords[d.metric] ?? d.metric })),
            chart: jobsHomesChart ? chartFigureView(jobsHomesChart, `${base}/data/${jobsHomesChart.id}.csv`) : null,
          },
  };
}
