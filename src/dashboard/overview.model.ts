import type { ScheduledReturn } from '../periods/programme-clock';
import { agreedWords, combineAgreed, type AgreedLineView } from '../changes/agreed.queries';
import { addMoney, formatPounds, narrowPence, sumMoney, type Money } from '../common/money';
import { breakdown, yearLabel, type ReconciliationReport } from '../reconciliation/engine';
import type { HeadlineInput } from '../reconciliation/engine';
import type { Delivered } from '../reconciliation/output-totals.port';
import type { ChartData } from './charts';
import type { PoolRow, ProjectRow, PublicGroup } from './dashboard.queries';
import type { DashboardSection } from './sections';

/** Pure assembly of the overview from the aggregate rows: no database here. Money is pence. */

export interface SourceKindInfo {
  code: string;
  label: string;
  description: string | null;
  capital: boolean;
  isMatch: boolean;
}

export interface StatedFigure {
  code: string;
  label: string;
  qualifier: string;
  pence: number;
  printed: string | null;
  status: string;
  document: string | null;
  section: string | null;
  quote: string | null;
}

export interface ProgrammeInfo {
  code: string;
  name: string;
  description: string | null;
  startsOn: string;
  endsOn: string;
  reportingQuarter: string;
  /** Every quarter's return is submitted (the reporting quarter is the final, submitted one). */
  closed: boolean;
  /** The first quarter not submitted (after the final quarter at close): earlier quarters are public. */
  submittedBefore: string;
  synthetic: boolean;
  /** The reporting quarter's return on the programme's as-of date (due by, overdue...); null at close. */
  reportingReturn: ScheduledReturn | null;
}

export interface OverviewModel {
  programme: ProgrammeInfo;
  illustrative: boolean;
  /**
   * The deal as agreed beside the current approved allocation, per project (pool, programme)
   * and source, with the approved change requests that moved it (changes/agreed.queries.ts).
   */
  agreed: AgreedLineView[];
  bySource: {
    code: string;
    label: string;
    capital: boolean;
    isMatch: boolean;
    pence: Money;
    byStatusPence: Record<string, Money>;
    stated: StatedFigure[];
    /** Illustrative data, or an illustrative change request, touched this source's money. */
    illustrative: boolean;
  }[];
  capitalPence: Money;
  revenuePence: Money;
  byYear: {
    columns: string[];
    rows: { code: string; label: string; cellsPence: Record<string, Money>; totalPence: Money }[];
  };
  dealTable: {
    name: string;
    rows: string[];
    columns: string[];
    cells: { row: string; column: string; pence: number; printed: string | null; code: string }[];
  } | null;
  projects: {
    code: string;
    name: string;
    themeCode: string | null;
    themeName: string | null;
    location: string | null;
    status: string;
    bySourcePence: Record<string, Money>;
    totalPence: Money;
    illustrative: boolean;
  }[];
  pools: {
    code: string;
    name: string;
    members: { code: string; name: string }[];
    bySourcePence: Record<string, Money>;
    totalPence: Money;
    quote: string | null;
    document: string | null;
    section: string | null;
  }[];
  programmeLevel: { sourceKind: string; label: string; pence: Money; period: string }[];
  reconciliation: ReconciliationReport;
  charts: ChartData[];
  sections: DashboardSection[];
  /** Jobs and homes delivered (to the end of the last submitted quarter) against the deal's promises. */
  promises: PromiseLine[];
  /** What "delivered" counts, in words, shown beside every delivered figure. */
  delivered: { through: string | null; definition: string };
  /** Double claims removed from the delivered totals, per metric. */
  doubleClaims: { metric: string; claimed: number; removed: number; total: number; claims: number }[];
}

export interface PromiseLine {
  code: string;
  label: string;
  unit: string;
  qualifier: string;
  stated: number;
  delivered: Money | null;
  status: string;
  explanation: string;
  document: string | null;
}

/** A line's status for a reader (reconciliation/reconciliation-present.ts, shared with the return). */
export { STATUS_WORDS } from '../reconciliation/reconciliation-present';

/** Totals are exact (Money: a number while it is a safe integer, else a bigint). */
const add = (rec: Record<string, Money>, k: string, v: Money) => (rec[k] = narrowPence(addMoney(rec[k] ?? 0, v)));
const sum = (vs: Money[]): Money => narrowPence(sumMoney(vs));

/** Headlines whose rule is exactly "all allocations of this one source kind". */
function statedFor(kind: string, headlines: readonly HeadlineInput[], report: ReconciliationReport): StatedFigure[] {
  return headlines
    .filter((h) => {
      const f = h.rule.allocations;
      return (
        h.unit === 'pounds' &&
        f &&
        f.sourceKinds?.length === 1 &&
        f.sourceKinds[0] === kind &&
        !f.years &&
        !f.themes &&
        !f.projects &&
        !f.pools
      );
    })
    .map((h) => ({
      code: h.code,
      label: h.label,
      qualifier: h.qualifier,
      pence: h.value,
      printed: h.source.printed,
      status:
        report.lines.find((l) => l.headlineCode === h.code && l.check === 'allocations')?.status ?? 'not_comparable',
      document: h.source.document,
      section: h.source.section,
      quote: h.source.quote,
    }));
}

export function buildOverview(input: {
  programme: ProgrammeInfo;
  kinds: SourceKindInfo[];
  groups: PublicGroup[];
  projects: ProjectRow[];
  pools: PoolRow[];
  headlines: HeadlineInput[];
  /** Outputs delivered to the end of the last submitted quarter (outputs/delivered.ts). */
  delivered: Delivered;
  report: ReconciliationReport;
  sections: DashboardSection[];
  agreed: AgreedLineView[];
}): OverviewModel {
  const { kinds, groups, headlines, report, agreed } = input;
  const deliveredIllustrative = Object.values(input.delivered.byMetric).some((t) => t.illustrative);
  const live = groups.filter((g) => g.commitmentStatus !== 'withdrawn');
  const label = new Map(kinds.map((k) => [k.code, k.label]));
  const illustrativeKinds = new Set([
    ...live.filter((g) => g.illustrative).map((g) => g.sourceKind),
    ...agreed.filter((l) => l.illustrative).map((l) => l.sourceKind),
  ]);
  const bySource = kinds
    .map((k) => {
      const mine = live.filter((g) => g.sourceKind === k.code);
      const byStatusPence: Record<string, Money> = {};
      for (const g of mine) add(byStatusPence, g.commitmentStatus, g.pence);
      return {
        code: k.code,
        label: k.label,
        capital: k.capital,
        isMatch: k.isMatch,
        pence: sum(mine.map((g) => g.pence)),
        byStatusPence,
        stated: statedFor(k.code, headlines, report),
        illustrative: illustrativeKinds.has(k.code),
      };
    })
    .filter((s) => s.pence !== 0 || s.stated.length > 0);
  const capitalPence = sum(bySource.filter((s) => s.capital).map((x) => x.pence));
  const revenuePence = sum(bySource.filter((s) => !s.capital).map((x) => x.pence));

  const years = breakdown(live, ['sourceKind', 'year']);
  const byYear = {
    columns: years.columns,
    rows: years.rows.map((r) => ({
      code: r.key.sourceKind!,
      label: label.get(r.key.sourceKind!) ?? r.key.sourceKind!,
      cellsPence: Object.fromEntries(Object.entries(r.cells).map(([c, v]) => [c, narrowPence(v)])),
      totalPence: narrowPence(r.total),
    })),
  };

  const perProject = new Map<string, Record<string, Money>>();
  const perPool = new Map<string, Record<string, Money>>();
  const programmeLevel: OverviewModel['programmeLevel'] = [];
  for (const g of live) {
    if (g.projectCode)
      add(
        perProject.get(g.projectCode) ?? perProject.set(g.projectCode, {}).get(g.projectCode)!,
        g.sourceKind,
        g.pence,
      );
    else if (g.poolCode)
      add(perPool.get(g.poolCode) ?? perPool.set(g.poolCode, {}).get(g.poolCode)!, g.sourceKind, g.pence);
    else
      programmeLevel.push({
        sourceKind: g.sourceKind,
        label: label.get(g.sourceKind) ?? g.sourceKind,
        pence: g.pence,
        period: yearLabel(g),
      });
  }
  const total = (r: Record<string, Money>) => sum(Object.values(r));
  // A project is marked illustrative where its own data is, or where illustrative change
  // requests moved its money (agreed vs now).
  const illustrativeProjects = new Set([
    ...live.filter((g) => g.illustrative && g.projectCode).map((g) => g.projectCode!),
    ...agreed.filter((l) => l.illustrative && l.projectCode).map((l) => l.projectCode!),
  ]);
  const projects = input.projects.map((p) => {
    const b = perProject.get(p.code) ?? {};
    return {
      code: p.code,
      name: p.name,
      themeCode: p.themeCode,
      themeName: p.themeName,
      location: p.location,
      status: p.status,
      bySourcePence: b,
      totalPence: total(b),
      illustrative: p.source.illustrative || illustrativeProjects.has(p.code),
    };
  });
  // An allocation is illustrative where its own data is, or where an illustrative change request
  // moved its line's money (agreed vs now): each reconciliation row and chart bar it adds to says so.
  const lineOf = (x: { projectCode: string | null; poolCode: string | null; sourceKind: string }) =>
    `${x.projectCode ?? ''}|${x.poolCode ?? ''}|${x.sourceKind}`;
  const illustrativeLines = new Set(agreed.filter((l) => l.illustrative).map(lineOf));
  const illustrativeGroups = groups.filter((g) => g.illustrative || illustrativeLines.has(lineOf(g)));
  const illustrativeIds = new Set(illustrativeGroups.flatMap((g) => g.allocationIds));
  const illustrativePools = new Set(illustrativeGroups.filter((g) => g.poolCode).map((g) => g.poolCode!));
  const pools = input.pools.map((p) => {
    const b = perPool.get(p.code) ?? {};
    return {
      code: p.code,
      name: p.name,
      members: p.members,
      bySourcePence: b,
      totalPence: total(b),
      quote: p.source.quote,
      document: p.source.document,
      section: p.source.section,
      illustrative: illustrativePools.has(p.code),
    };
  });

  const tableHeadlines = headlines.filter((h) => h.tableName && h.unit === 'pounds');
  const dealTable = tableHeadlines.length
    ? {
        name: tableHeadlines[0].tableName!,
        rows: [...new Set(tableHeadlines.map((h) => h.tableRow ?? ''))],
        columns: [...new Set(tableHeadlines.map((h) => h.tableColumn ?? ''))],
        cells: tableHeadlines.map((h) => ({
          row: h.tableRow ?? '',
          column: h.tableColumn ?? '',
          pence: h.value,
          printed: h.source.printed,
          code: h.code,
        })),
      }
    : null;

  const capitalKinds = bySource.filter((s) => s.capital && s.pence > 0);
  // Each funding-by-project row beside the deal as agreed: its capital lines read as one.
  const capital = new Set(kinds.filter((k) => k.capital).map((k) => k.code));
  // Each holder's capital lines, indexed once (not a scan of every line per project).
  const capitalLines = new Map<string, AgreedLineView[]>();
  for (const l of agreed) {
    if (!capital.has(l.sourceKind)) continue;
    for (const k of [l.projectCode && `project|${l.projectCode}`, l.poolCode && `pool|${l.poolCode}`]) {
      if (!k) continue;
      const list = capitalLines.get(k);
      if (list) list.push(l);
      else capitalLines.set(k, [l]);
    }
  }
  const agreedRow = (holder: { projectCode?: string; poolCode?: string }) => {
    const mine =
      capitalLines.get(holder.projectCode ? `project|${holder.projectCode}` : `pool|${holder.poolCode}`) ?? [];
    const row = combineAgreed(mine, { projectId: null, poolId: null, sourceKind: '' });
    return { pence: row.agreedPence, changePence: row.deltaPence, words: agreedWords(row) };
  };
  const charts: ChartData[] = [
    {
      id: 'funding-by-source',
      title: 'Capital funding promised, by source',
      description: `The approved allocations add up to ${formatPounds(capitalPence)} pounds of capital funding across ${capitalKinds.length} sources.`,
      unit: 'pence',
      categories: capitalKinds.map((s) => ({ key: s.code, label: s.label })),
      series: [{ key: 'promised', label: 'Promised' }],
      values: capitalKinds.map((s) => [s.pence]),
      illustrative: capitalKinds.some((s) => illustrativeKinds.has(s.code)),
    },
    {
      id: 'funding-by-project',
      title: 'Capital funding promised, by project and source',
      description:
        'Each bar is one project (or a group of projects sharing money the deal does not split), divided by source of funding.',
      unit: 'pence',
      categories: [
        ...projects.map((p) => ({
          key: p.code,
          label: p.name,
          illustrative: p.illustrative,
          agreed: agreedRow({ projectCode: p.code }),
        })),
        ...pools
          .filter((p) => p.totalPence > 0)
          .map((p) => ({
            key: p.code,
            label: `Shared: ${p.members.map((x) => x.name).join(', ')}`,
            illustrative: p.illustrative,
            agreed: agreedRow({ poolCode: p.code }),
          })),
      ],
      series: capitalKinds.map((s) => ({ key: s.code, label: s.label })),
      values: [
        ...projects.map((p) => capitalKinds.map((s) => p.bySourcePence[s.code] ?? null)),
        ...pools.filter((p) => p.totalPence > 0).map((p) => capitalKinds.map((s) => p.bySourcePence[s.code] ?? null)),
      ],
      illustrative: projects.some((p) => p.illustrative),
    },
  ];
  if (dealTable) {
    const cols = dealTable.columns.filter((c) => c !== 'Total');
    const rows = dealTable.rows.filter((r) => r !== 'Total');
    charts.push({
      id: 'deal-table-by-year',
      title: 'What the deal’s funding table states, by year',
      description: `The figures printed in "${dealTable.name}", by year and row.`,
      unit: 'pence',
      categories: cols.map((c) => ({ key: c, label: c })),
      series: rows.map((r) => ({ key: r, label: r })),
      values: cols.map((c) =>
        rows.map((r) => dealTable.cells.find((x) => x.row === r && x.column === c)?.pence ?? null),
      ),
    });
  }
  const promises: PromiseLine[] = report.lines
    .filter((l) => l.check === 'outputs' && (l.unit === 'jobs' || l.unit === 'homes'))
    .map((l) => ({
      code: l.headlineCode,
      label: l.label,
      unit: l.unit,
      qualifier: l.qualifier,
      stated: l.stated,
      delivered: l.computed,
      status: l.status,
      explanation: l.explanation,
      document: l.provenance.document,
    }));
  const deliveredAny = promises.some((p) => p.delivered !== null);
  if (promises.length && deliveredAny) {
    charts.push({
      id: 'jobs-homes-delivered',
      title: 'Jobs and homes delivered against the deal’s promises',
      description: `For each promise the deal documents make about jobs or homes, the number promised and the number delivered. ${input.delivered.definition}`,
      unit: 'count',
      categories: promises.map((p) => ({ key: p.code, label: p.label })),
      series: [
        { key: 'promised', label: 'Promised' },
        { key: 'delivered', label: 'Delivered so far' },
      ],
      values: promises.map((p) => [p.stated, p.delivered]),
      grouped: true,
      noTotal: true,
      illustrative: deliveredIllustrative,
    });
  }
  const doubleClaims = Object.entries(input.delivered.byMetric)
    .filter(([, t]) => t.doubleClaims > 0)
    .map(([metric, t]) => ({ metric, claimed: t.claimed, removed: t.removed, total: t.total, claims: t.doubleClaims }));
  return {
    promises,
    delivered: { through: input.delivered.through, definition: input.delivered.definition },
    doubleClaims,
    programme: input.programme,
    illustrative:
      input.programme.synthetic ||
      live.some((g) => g.illustrative) ||
      agreed.some((l) => l.illustrative) ||
      (deliveredAny && deliveredIllustrative),
    agreed,
    bySource,
    capitalPence,
    revenuePence,
    byYear,
    dealTable,
    projects,
    pools,
    programmeLevel,
    reconciliation: {
      ...report,
      lines: report.lines.map((l) =>
        !l.illustrative && l.contributingAllocationIds.some((id) => illustrativeIds.has(id))
          ? { ...l, illustrative: true }
          : l,
      ),
    },
    charts,
    sections: input.sections,
  };
}
