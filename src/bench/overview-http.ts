import {
  addQuarters,
  compareQuarters,
  formatFiscalYear,
  formatQuarter,
  parseQuarter,
  quarterEnd,
  quarterOfDate,
} from '../common/fiscal';
import { narrowPence } from '../common/money';
import { agreedDealOf, allocationWriteOf } from '../changes/agreed.queries';
import type { AllocationWrite, ApprovedChange, CurrentLine } from '../changes/engine/agreed';
import type { PoolRow, ProjectRow, PublicGroup } from '../dashboard/dashboard.queries';
import type { MilestoneRow, QuarterSpend } from '../dashboard/delivery/delivery.queries';
import { shapeLateMilestones } from '../dashboard/delivery/public-milestones.section';
import { shapeRag } from '../dashboard/delivery/rag.section';
import { shapeReturnsDue } from '../dashboard/delivery/returns-due.section';
import { shapeSpendToDate } from '../dashboard/delivery/spend.section';
import { buildOverview, type ProgrammeInfo, type SourceKindInfo } from '../dashboard/overview.model';
import { presentOverview } from '../dashboard/page-json';
import type { DashboardSection } from '../dashboard/sections';
import { deliveredDefinition, type Delivered, type DeliveredByMetric } from '../outputs/delivered';
import { countOnce } from '../outputs/output-totals';
import {
  asOfDate,
  DEFAULT_RETURN_DUE_MONTHS,
  overdueReturns,
  returnSchedule,
  returnStatus,
  wallClockDate,
} from '../periods/programme-clock';
import type { ReportingPosition } from '../periods/reporting-position';
import { thresholdsOf } from '../rag/rag';
import { lastSubmittedSplit, ragOf, type RagInputs } from '../rag/rag.service';
import type { HeadlineInput } from '../reconciliation/engine';
import { reportOfGroups } from '../reconciliation/reconciliation.service';
import type { LineAggregate } from '../spend/spend-aggregates';
import { measureHttp, type HttpMeasure } from './measures';
import { openRawPostgresPool, type RawDb } from './raw-driver';
import type { BenchTarget } from './targets';
import { interleave } from './timing';

/**
 * The independent baseline of the public overview (`GET /api/programmes/:code/overview`): its own
 * SQL on the raw driver (no Nest, no TypeORM, none of the app's queries or services), one
 * statement per kind of row, then the app's pure shaping functions (the reconciliation engine,
 * the RAG rules, the section and model builders, the presenter), whose time the bench reports
 * apart. The bench asserts the JSON byte for byte before timing.
 */

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : num(v));
const bool = (v: unknown): boolean => v === true || v === 1 || v === '1' || v === 't' || v === 'true';
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** The statements, with numbered placeholders ($n on PostgreSQL, ?n on SQLite): each parameter is passed once. */
function statements(kind: RawDb['kind']) {
  const pg = kind === 'postgres';
  const p = (n: number) => (pg ? `$${n}` : `?${n}`);
  const ids = pg ? `string_agg(CAST(a.id AS varchar), ',')` : 'group_concat(a.id)';
  const yes = pg ? 'true' : '1';
  return {
    programme: `SELECT id, code, name, description, starts_on, ends_on, as_of_date, return_due_months, first_quarter,
                       rag_thresholds, synthetic FROM programme WHERE code = ${p(1)}`,
    // Each quarter's first submission (the schedule), and with it the set of submitted quarters.
    returns: `SELECT quarter, version, submitted_on, submitted_at FROM return_version WHERE programme_id = ${p(1)} AND version = 1`,
    kinds: `SELECT code, label, description, capital, is_match FROM source_kind ORDER BY position, code`,
    groups: `SELECT a.source_kind, a.commitment_status, a.period_kind, a.year_from, a.year_to, p.code AS project_code,
                    pl.code AS pool_code, COALESCE(tp.code, tpl.code) AS theme_code, sk.capital, a.source_illustrative AS illustrative,
                    SUM(a.amount_pence) AS pence, ${ids} AS ids
               FROM allocation a JOIN source_kind sk ON sk.code = a.source_kind
               LEFT JOIN project p ON p.id = a.project_id LEFT JOIN theme tp ON tp.id = p.theme_id
               LEFT JOIN project_pool pl ON pl.id = a.pool_id LEFT JOIN theme tpl ON tpl.id = pl.theme_id
              WHERE a.programme_id = ${p(1)} AND a.approval_state = 'approved'
              GROUP BY a.source_kind, a.commitment_status, a.period_kind, a.year_from, a.year_to, p.code, pl.code, tp.code, tpl.code,
                       sk.capital, a.source_illustrative
              ORDER BY a.source_kind, a.commitment_status, a.period_kind, a.year_from, a.year_to, p.code, pl.code, tp.code, tpl.code,
                       sk.capital, a.source_illustrative`,
    projects: `SELECT p.id, p.code, p.name, p.description, p.location, p.status, p.version, p.rag_override, p.rag_override_reason,
                      t.code AS theme_code, t.name AS theme_name, o.name AS lead_name,
                      p.source_document, p.source_section, p.source_quote, p.source_printed, p.source_illustrative
                 FROM project p LEFT JOIN theme t ON t.id = p.theme_id LEFT JOIN organisation o ON o.id = p.lead_organisation_id
                WHERE p.programme_id = ${p(1)} ORDER BY t.position, p.code`,
    pools: `SELECT pl.id, pl.code, pl.name, t.code AS theme_code, p.code AS project_code, p.name AS project_name,
                   pl.source_document, pl.source_section, pl.source_quote
              FROM project_pool pl LEFT JOIN theme t ON t.id = pl.theme_id
              LEFT JOIN project_pool_member pm ON pm.pool_id = pl.id LEFT JOIN project p ON p.id = pm.project_id
             WHERE pl.programme_id = ${p(1)} ORDER BY pl.code, p.code`,
    headlines: `SELECT id, code, measure, label, qualifier, unit, value, "precision", rule, table_name, table_row, table_column, notes,
                       source_document, source_section, source_quote, source_printed
                  FROM headline_figure WHERE programme_id = ${p(1)} ORDER BY id`,
    // The last submitted return at or before a quarter (the RAG's slippage compares with its snapshot).
    // Its frozen JSON is the version's pieces joined in order, for that one version.
    lastReturn: `SELECT v.quarter, v.version,
                        (SELECT ${pg ? `string_agg(s.text, '' ORDER BY s.n)` : `group_concat(s.text, '' ORDER BY s.n)`}
                           FROM return_snapshot_piece s WHERE s.version_id = v.id) AS snapshot
                   FROM (SELECT id, quarter, version FROM return_version WHERE programme_id = ${p(1)} AND quarter <= ${p(2)}
                         ORDER BY quarter DESC, version DESC LIMIT 1) v`,
    claims: `SELECT metric_code, claim_key, project_id, SUM(value) AS value, MAX(CASE WHEN illustrative THEN 1 ELSE 0 END) AS illustrative
               FROM output_actual WHERE programme_id = ${p(1)} AND quarter < ${p(2)}
              GROUP BY metric_code, claim_key, project_id ORDER BY metric_code, claim_key, project_id`,
    spendLines: `SELECT project_id, source_kind, SUM(baseline_pence) AS baseline_total,
                        SUM(CASE WHEN quarter >= ${p(2)} AND quarter <= ${p(3)} THEN baseline_pence ELSE 0 END) AS baseline_year,
                        SUM(CASE WHEN quarter < ${p(4)} THEN COALESCE(actual_pence, 0) ELSE forecast_pence END) AS forecast_programme,
                        SUM(CASE WHEN quarter >= ${p(2)} AND quarter <= ${p(3)}
                                 THEN (CASE WHEN quarter < ${p(4)} THEN COALESCE(actual_pence, 0) ELSE forecast_pence END) ELSE 0 END) AS forecast_year,
                        SUM(CASE WHEN quarter > ${p(3)} THEN forecast_pence ELSE 0 END) AS forecast_later
                   FROM spend_profile WHERE programme_id = ${p(1)} GROUP BY project_id, source_kind`,
    adjustments: `SELECT project_id, source_kind,
                         SUM(CASE WHEN recorded_in_quarter <= ${p(4)} THEN amount_pence ELSE 0 END) AS adjustments,
                         SUM(CASE WHEN recorded_in_quarter <= ${p(4)} AND corrects_quarter >= ${p(2)} AND corrects_quarter <= ${p(3)}
                                  THEN amount_pence ELSE 0 END) AS adjustments_year
                    FROM spend_adjustment WHERE programme_id = ${p(1)} GROUP BY project_id, source_kind`,
    allocations: `SELECT project_id, source_kind, SUM(amount_pence) AS allocation,
                         SUM(CASE WHEN period_kind = 'year' AND year_from = ${p(2)} THEN amount_pence ELSE 0 END) AS allocation_year,
                         SUM(CASE WHEN period_kind = 'year' THEN 1 ELSE 0 END) AS year_profiled
                    FROM allocation WHERE programme_id = ${p(1)} AND project_id IS NOT NULL AND approval_state = 'approved'
                     AND commitment_status <> 'withdrawn' GROUP BY project_id, source_kind`,
    milestones: `SELECT x.id, x.project_id, p.code AS project_code, p.name AS project_name, x.title, x.kind, x.baseline_date,
                        x.forecast_date, x.actual_date, x.status, x.source_illustrative AS illustrative
                   FROM milestone x JOIN project p ON p.id = x.project_id WHERE x.programme_id = ${p(1)}
                  ORDER BY p.code, x.baseline_date, x.id`,
    targets: `SELECT project_id, metric_code, target_value, forecast_value FROM output_target WHERE programme_id = ${p(1)} ORDER BY id`,
    metrics: `SELECT code, unit, scale FROM output_metric`,
    spendQuarters: `SELECT quarter, SUM(baseline_pence) AS baseline, SUM(forecast_pence) AS forecast, SUM(actual_pence) AS actual,
                           COUNT(actual_pence) AS actuals, SUM(CASE WHEN illustrative = ${yes} THEN 1 ELSE 0 END) AS illustrative
                      FROM spend_profile WHERE programme_id = ${p(1)} GROUP BY quarter`,
    adjustmentQuarters: `SELECT recorded_in_quarter AS quarter, SUM(amount_pence) AS amount FROM spend_adjustment
                          WHERE programme_id = ${p(1)} GROUP BY recorded_in_quarter`,
    illustrativeDelivery: `SELECT CASE WHEN EXISTS (SELECT 1 FROM spend_profile WHERE programme_id = ${p(1)} AND illustrative = ${yes})
                                    OR EXISTS (SELECT 1 FROM milestone WHERE programme_id = ${p(1)} AND source_illustrative = ${yes})
                                    OR EXISTS (SELECT 1 FROM output_target WHERE programme_id = ${p(1)} AND source_illustrative = ${yes})
                                  THEN 1 ELSE 0 END AS n`,
    current: `SELECT project_id, pool_id, source_kind, source_illustrative AS illustrative, SUM(amount_pence) AS pence
                FROM allocation WHERE programme_id = ${p(1)} AND approval_state = 'approved' AND commitment_status <> 'withdrawn'
               GROUP BY project_id, pool_id, source_kind, source_illustrative`,
    writes: `SELECT entity_id, before, after, meta FROM audit_entry
              WHERE programme_id = ${p(1)} AND entity = 'allocation' AND action IN ('create', 'update')
                AND meta LIKE '%"changeRequest":%' ORDER BY id`,
    changes: `SELECT number, title, illustrative FROM change_request WHERE programme_id = ${p(1)} AND state = 'approved'`,
    codes: `SELECT 'project' AS t, p.id, p.code, th.code AS theme FROM project p LEFT JOIN theme th ON th.id = p.theme_id
             WHERE p.programme_id = ${p(1)}
            UNION ALL SELECT 'pool' AS t, l.id, l.code, th.code AS theme FROM project_pool l LEFT JOIN theme th ON th.id = l.theme_id
             WHERE l.programme_id = ${p(1)}`,
  };
}

type Row = Record<string, unknown>;

/** Every row the overview is made from, read by the baseline's own statements. */
export async function readOverviewRows(raw: RawDb, code: string) {
  const q = statements(raw.kind);
  const [prog] = await raw.all<Row>(q.programme, [code]);
  if (!prog) throw new Error(`no programme ${code}`);
  const id = num(prog.id);
  const returns = await raw.all<Row>(q.returns, [id]);
  const submitted = new Set(returns.map((r) => String(r.quarter)));
  // The reporting quarter: the first not submitted (the final one at close).
  let quarter = parseQuarter(String(prog.first_quarter));
  const lastQ = quarterOfDate(String(prog.ends_on));
  while (submitted.has(formatQuarter(quarter)) && compareQuarters(quarter, lastQ) < 0)
    quarter = addQuarters(quarter, 1);
  const closed = submitted.has(formatQuarter(quarter));
  const pos: ReportingPosition = {
    quarter,
    quarterCode: formatQuarter(quarter),
    quarterEnd: quarterEnd(quarter),
    year: formatFiscalYear(quarter.year),
    yearFrom: formatQuarter({ year: quarter.year, q: 1 }),
    yearTo: formatQuarter({ year: quarter.year, q: 4 }),
  };
  const kinds = await raw.all<Row>(q.kinds);
  const groups = await raw.all<Row>(q.groups, [id]);
  const projects = await raw.all<Row>(q.projects, [id]);
  const pools = await raw.all<Row>(q.pools, [id]);
  const headlines = await raw.all<Row>(q.headlines, [id]);
  // The last submitted return: delivered outputs count to its end; the RAG's slippage reads its snapshot.
  const [lastEver] = await raw.all<Row>(q.lastReturn, [id, '9999-99 Q9']);
  const through = str(lastEver?.quarter);
  const claimsDelivered = through
    ? await raw.all<Row>(q.claims, [id, formatQuarter(addQuarters(parseQuarter(through), 1))])
    : [];
  const [lastAtRq] = await raw.all<Row>(q.lastReturn, [id, pos.quarterCode]);
  const before =
    lastAtRq && lastAtRq.quarter === pos.quarterCode
      ? ((await raw.all<Row>(q.lastReturn, [id, formatQuarter(addQuarters(pos.quarter, -1))]))[0] ?? null)
      : (lastAtRq ?? null);
  const spendArgs = [id, pos.yearFrom, pos.yearTo, pos.quarterCode];
  const spendLines = await raw.all<Row>(q.spendLines, spendArgs);
  const adjustments = await raw.all<Row>(q.adjustments, spendArgs);
  const allocations = await raw.all<Row>(q.allocations, [id, pos.quarter.year]);
  const milestones = await raw.all<Row>(q.milestones, [id]);
  const targets = await raw.all<Row>(q.targets, [id]);
  const metrics = await raw.all<Row>(q.metrics);
  const claimsRag =
    targets.length && lastAtRq
      ? str(lastAtRq.quarter) === through
        ? claimsDelivered
        : await raw.all<Row>(q.claims, [id, formatQuarter(addQuarters(parseQuarter(String(lastAtRq.quarter)), 1))])
      : [];
  const [illustrativeDelivery] = await raw.all<Row>(q.illustrativeDelivery, [id]);
  const spendQuarters = await raw.all<Row>(q.spendQuarters, [id]);
  const adjustmentQuarters = await raw.all<Row>(q.adjustmentQuarters, [id]);
  const current = await raw.all<Row>(q.current, [id]);
  const writes = await raw.all<Row>(q.writes, [id]);
  const changes = await raw.all<Row>(q.changes, [id]);
  const codes = await raw.all<Row>(q.codes, [id]);
  return {
    prog,
    returns,
    pos,
    closed,
    kinds,
    groups,
    projects,
    pools,
    headlines,
    through,
    claimsDelivered,
    lastAtRq: lastAtRq ?? null,
    before,
    spendLines,
    adjustments,
    allocations,
    milestones,
    targets,
    metrics,
    claimsRag,
    illustrativeDelivery: num(illustrativeDelivery?.n ?? 0) > 0,
    spendQuarters,
    adjustmentQuarters,
    current,
    writes,
    changes,
    codes,
  };
}

export type OverviewRows = Awaited<ReturnType<typeof readOverviewRows>>;

/** Pure: the rows to the JSON the route answers, through the app's shared pure functions. */
export function shapeOverviewRows(r: OverviewRows, today = wallClockDate()) {
  const { prog, pos, closed } = r;
  const programme = {
    id: num(prog.id),
    code: String(prog.code),
    asOfDate: str(prog.as_of_date),
    returnDueMonths: numOrNull(prog.return_due_months),
    firstQuarter: String(prog.first_quarter),
    endsOn: String(prog.ends_on),
    startsOn: String(prog.starts_on),
  };
  const asOf = asOfDate(programme, today);
  const info: ProgrammeInfo = {
    code: programme.code,
    name: String(prog.name),
    description: str(prog.description),
    startsOn: programme.startsOn,
    endsOn: programme.endsOn,
    reportingQuarter: pos.quarterCode,
    closed,
    submittedBefore: formatQuarter(closed ? addQuarters(pos.quarter, 1) : pos.quarter),
    synthetic: bool(prog.synthetic),
    reportingReturn: closed ? null : returnStatus(pos.quarter, null, asOf, programme.returnDueMonths),
  };
  const kinds: SourceKindInfo[] = r.kinds.map((k) => ({
    code: String(k.code),
    label: String(k.label),
    description: str(k.description),
    capital: bool(k.capital),
    isMatch: bool(k.is_match),
  }));
  const groups: PublicGroup[] = r.groups.map((g) => ({
    sourceKind: String(g.source_kind),
    commitmentStatus: String(g.commitment_status),
    periodKind: g.period_kind as PublicGroup['periodKind'],
    yearFrom: numOrNull(g.year_from),
    yearTo: numOrNull(g.year_to),
    themeCode: str(g.theme_code),
    projectCode: str(g.project_code),
    poolCode: str(g.pool_code),
    capital: bool(g.capital),
    illustrative: bool(g.illustrative),
    pence: narrowPence(BigInt(String(g.pence))),
    allocationIds: String(g.ids ?? '')
      .split(',')
      .filter((s) => s !== '')
      .map(Number)
      .sort((a, b) => a - b),
  }));
  const projects: ProjectRow[] = r.projects.map((p) => ({
    id: num(p.id),
    code: String(p.code),
    name: String(p.name),
    description: str(p.description),
    location: str(p.location),
    status: String(p.status),
    themeCode: str(p.theme_code),
    themeName: str(p.theme_name),
    leadName: str(p.lead_name),
    source: {
      document: str(p.source_document),
      section: str(p.source_section),
      quote: str(p.source_quote),
      printed: str(p.source_printed),
      illustrative: bool(p.source_illustrative),
    },
  }));
  const poolMap = new Map<string, PoolRow>();
  for (const x of r.pools) {
    const c = String(x.code);
    let pool = poolMap.get(c);
    if (!pool)
      poolMap.set(
        c,
        (pool = {
          code: c,
          name: String(x.name),
          themeCode: str(x.theme_code),
          members: [],
          source: { document: str(x.source_document), section: str(x.source_section), quote: str(x.source_quote) },
        }),
      );
    if (x.project_code) pool.members.push({ code: String(x.project_code), name: String(x.project_name) });
  }
  const pools = [...poolMap.values()];
  const headlines: HeadlineInput[] = r.headlines.map((h) => ({
    id: num(h.id),
    code: String(h.code),
    measure: String(h.measure),
    label: String(h.label),
    qualifier: h.qualifier as HeadlineInput['qualifier'],
    unit: h.unit as HeadlineInput['unit'],
    value: num(h.value),
    precision: num(h.precision),
    rule: h.rule ? (JSON.parse(String(h.rule)) as HeadlineInput['rule']) : {},
    tableName: str(h.table_name),
    tableRow: str(h.table_row),
    tableColumn: str(h.table_column),
    notes: str(h.notes),
    source: {
      document: str(h.source_document),
      section: str(h.source_section),
      quote: str(h.source_quote),
      printed: str(h.source_printed),
    },
  }));
  const claims = (rows: Row[]) =>
    rows.map((c) => ({
      metric: String(c.metric_code),
      claimKey: String(c.claim_key),
      projectId: num(c.project_id),
      value: num(c.value),
      illustrative: num(c.illustrative) === 1,
    }));
  const deliveredClaims = claims(r.claimsDelivered);
  const byMetric: DeliveredByMetric = {};
  if (r.through !== null) {
    const { totals, doubleClaims } = countOnce(deliveredClaims);
    for (const [k, t] of totals)
      byMetric[k] = {
        ...t,
        doubleClaims: doubleClaims.filter((d) => d.metric === k).length,
        illustrative: deliveredClaims.some((c) => c.metric === k && c.illustrative),
      };
  }
  const delivered: Delivered = { through: r.through, definition: deliveredDefinition(r.through), byMetric };
  const current: CurrentLine[] = r.current.map((x) => ({
    projectId: numOrNull(x.project_id),
    poolId: numOrNull(x.pool_id),
    sourceKind: String(x.source_kind),
    pence: narrowPence(BigInt(String(x.pence))),
    illustrative: bool(x.illustrative),
  }));
  const writes: AllocationWrite[] = r.writes.flatMap((x) => {
    const w = allocationWriteOf(x as { entity_id: unknown; before: unknown; after: unknown; meta: unknown });
    return w ? [w] : [];
  });
  const changes: ApprovedChange[] = r.changes.map((c) => ({
    number: num(c.number),
    title: String(c.title),
    illustrative: bool(c.illustrative),
  }));
  const key = (c: Row) => `${String(c.t)}|${num(c.id)}`;
  // The deal as agreed beside now: the model's lines, and each reconciliation line beside it.
  const deal = agreedDealOf(
    { current, writes, changes },
    new Map(r.codes.map((c) => [key(c), String(c.code)])),
    new Map(r.codes.map((c) => [key(c), str(c.theme)])),
  );
  const { report } = reportOfGroups(
    {
      groups,
      projects: projects.map((x) => ({ code: x.code, themeCode: x.themeCode, status: x.status })),
      pools: pools.map((x) => ({ code: x.code, projects: x.members.map((y) => y.code) })),
    },
    { headlines, delivered, deal },
  );

  // Sections, in the app's order: returns due, RAG, spend to date, late milestones.
  const sections: DashboardSection[] = [];
  const o = { view: false };
  const firsts = new Map(
    r.returns.map((x) => [String(x.quarter), String(x.submitted_on ?? x.submitted_at).slice(0, 10)]),
  );
  const schedule = returnSchedule(programme, firsts, asOf);
  sections.push(
    shapeReturnsDue(
      {
        asOfDate: asOf,
        asOfIsDefault: programme.asOfDate === null,
        returnDueMonths: programme.returnDueMonths ?? DEFAULT_RETURN_DUE_MONTHS,
        overdue: overdueReturns(schedule).map((x) => x.quarter),
        schedule,
      },
      o,
    ),
  );
  const milestones: MilestoneRow[] = r.milestones.map((x) => ({
    id: num(x.id),
    projectId: numOrNull(x.project_id),
    projectCode: str(x.project_code),
    projectName: str(x.project_name),
    title: String(x.title),
    kind: String(x.kind),
    baselineDate: str(x.baseline_date),
    forecastDate: str(x.forecast_date),
    actualDate: str(x.actual_date),
    status: String(x.status),
    illustrative: bool(x.illustrative),
  }));
  const rag = shapeRag(
    ragOf(ragInputs(r, projects, milestones)),
    {
      programmeCode: programme.code,
      names: new Map(projects.map((p) => [p.code, p.name])),
      illustrative: info.synthetic || r.illustrativeDelivery,
    },
    o,
  );
  if (rag) sections.push(rag);
  const spend = shapeSpendToDate(
    spendQuarters(r),
    {
      submittedBefore: info.submittedBefore,
      closed,
      reportingQuarter: pos.quarterCode,
      href: `/programmes/${encodeURIComponent(programme.code)}/data/spend-to-date.csv`,
    },
    o,
  );
  if (spend) sections.push(spend);
  if (milestones.length)
    sections.push(
      shapeLateMilestones(milestones, { reportingQuarter: pos.quarterCode, closed, programmeCode: programme.code }, o),
    );

  return presentOverview(
    buildOverview({
      agreed: deal.lines,
      programme: info,
      kinds,
      groups,
      projects,
      pools,
      headlines,
      delivered,
      report,
      sections,
    }),
  );
}

function spendQuarters(r: OverviewRows): QuarterSpend[] {
  const byQuarter = new Map<string, QuarterSpend>();
  for (const x of r.spendQuarters)
    byQuarter.set(String(x.quarter), {
      quarter: String(x.quarter),
      baselinePence: num(x.baseline),
      forecastPence: num(x.forecast),
      actualPence: num(x.actuals) > 0 ? num(x.actual) : null,
      adjustmentsPence: 0,
      illustrative: num(x.illustrative) > 0,
    });
  for (const x of r.adjustmentQuarters) {
    const q = String(x.quarter);
    const s = byQuarter.get(q) ?? {
      quarter: q,
      baselinePence: 0,
      forecastPence: 0,
      actualPence: null,
      adjustmentsPence: 0,
      illustrative: false,
    };
    s.adjustmentsPence = num(x.amount);
    byQuarter.set(q, s);
  }
  return [...byQuarter.values()].sort((a, b) => (a.quarter < b.quarter ? -1 : 1));
}

function ragInputs(r: OverviewRows, projects: ProjectRow[], milestones: MilestoneRow[]): RagInputs {
  const codes = new Map(projects.map((p) => [p.id, p.code]));
  const byKey = new Map<string, LineAggregate>();
  const line = (pidRaw: unknown, sourceKind: string): LineAggregate => {
    const pid = num(pidRaw);
    const k = `${pid}|${sourceKind}`;
    let l = byKey.get(k);
    if (!l)
      byKey.set(
        k,
        (l = {
          projectId: pid,
          project: codes.get(pid) ?? String(pid),
          sourceKind,
          allocationPence: 0,
          allocationYearPence: 0,
          yearProfiled: false,
          baselineTotalPence: 0,
          baselineYearPence: 0,
          forecastYearPence: 0,
          forecastProgrammePence: 0,
          forecastLaterPence: 0,
          latestForecastTotalPence: 0,
          actualToDatePence: 0,
          actualInQuarterPence: 0,
          adjustmentsPence: 0,
          adjustmentsYearPence: 0,
          adjustmentsInQuarterPence: 0,
        }),
      );
    return l;
  };
  for (const x of r.allocations) {
    const l = line(x.project_id, String(x.source_kind));
    l.allocationPence = narrowPence(BigInt(String(x.allocation)));
    l.allocationYearPence = narrowPence(BigInt(String(x.allocation_year)));
    l.yearProfiled = num(x.year_profiled) > 0;
  }
  for (const x of r.spendLines) {
    const l = line(x.project_id, String(x.source_kind));
    l.baselineTotalPence = num(x.baseline_total);
    l.baselineYearPence = num(x.baseline_year);
    l.forecastProgrammePence = num(x.forecast_programme);
    l.forecastYearPence = num(x.forecast_year);
    l.forecastLaterPence = num(x.forecast_later);
  }
  for (const x of r.adjustments) {
    const l = line(x.project_id, String(x.source_kind));
    l.adjustmentsPence = num(x.adjustments);
    l.adjustmentsYearPence = num(x.adjustments_year);
  }
  const aggs = [...byKey.values()].sort(
    (a, b) => a.projectId - b.projectId || (a.sourceKind < b.sourceKind ? -1 : a.sourceKind > b.sourceKind ? 1 : 0),
  );
  const delivered = new Map<string, number>();
  for (const c of r.claimsRag) {
    const k = `${num(c.project_id)}|${String(c.metric_code)}`;
    delivered.set(k, (delivered.get(k) ?? 0) + num(c.value));
  }
  const before = r.before && {
    quarter: String(r.before.quarter),
    version: num(r.before.version),
    snapshot: String(r.before.snapshot),
  };
  return {
    endsOn: String(r.prog.ends_on),
    thresholds: thresholdsOf(r.prog.rag_thresholds ? JSON.parse(String(r.prog.rag_thresholds)) : null),
    pos: r.pos,
    projects: r.projects
      .map((p) => ({
        id: num(p.id),
        code: String(p.code),
        name: String(p.name),
        status: p.status as RagInputs['projects'][number]['status'],
        version: num(p.version),
        ragOverride: (p.rag_override as RagInputs['projects'][number]['ragOverride']) ?? null,
        ragOverrideReason: str(p.rag_override_reason),
      }))
      .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)),
    aggs,
    milestones: [...milestones].sort((a, b) => a.id - b.id),
    targets: r.targets.map((t) => ({
      projectId: numOrNull(t.project_id),
      metricCode: String(t.metric_code),
      targetValue: numOrNull(t.target_value),
      forecastValue: numOrNull(t.forecast_value),
    })),
    metrics: new Map(r.metrics.map((x) => [String(x.code), { unit: String(x.unit), scale: num(x.scale) }])),
    last: lastSubmittedSplit(before, r.pos),
    delivered,
  };
}

/**
 * The overview over HTTP: the Fastify route vs a bare node:http server answering from its own
 * SQL (a pool as large as the app's on PostgreSQL), equal JSON asserted byte for byte first.
 * The baseline's parts are timed apart: its reads, and the shared pure shaping with JSON.
 */
export async function measureOverviewHttp(
  t: BenchTarget,
  baseUrl: string,
  code: string,
  load: { requests: number; concurrency: number },
): Promise<HttpMeasure & { readMs: number; pureMs: number }> {
  const raw = t.kind === 'postgres' ? openRawPostgresPool(t.env.DATABASE_URL, t.env.DATABASE_SCHEMA) : t.raw;
  try {
    const m = await measureHttp(
      `${baseUrl}/api/programmes/${code}/overview`,
      async () => shapeOverviewRows(await readOverviewRows(raw, code)),
      load,
    );
    const rows = await readOverviewRows(raw, code);
    const [r, p] = await interleave(
      [
        { name: 'raw reads', run: () => readOverviewRows(raw, code) },
        { name: 'shared pure shaping + JSON', run: async () => JSON.stringify(shapeOverviewRows(rows)) },
      ],
      11,
      2,
    );
    return { ...m, readMs: r.medianMs, pureMs: p.medianMs };
  } finally {
    if (raw !== t.raw) await raw.close();
  }
}
