import { defineDelivered, markIllustrativeOutputs, type DeliveredByMetric } from '../reconciliation/output-totals.port';
import { deliveredDefinition } from '../outputs/delivered';
import {
  reconcile,
  type AllocationGroup,
  type HeadlineInput,
  type ReconciliationReport,
} from '../reconciliation/engine';
import { countOnce } from '../outputs/output-totals';
import { allocationWriteOf, agreedDealOf } from '../changes/agreed.queries';
import type { AllocationWrite, ApprovedChange, CurrentLine } from '../changes/engine/agreed';
import { parsePounds } from '../common/money';
import { withAgreed } from '../reconciliation/engine/moved';
import type { ApprovedChange as ExplainingChange } from '../reconciliation/engine/report';
import type { RawDb } from './raw-driver';

/**
 * The fastest raw implementations the app is measured against: hand-written SQL on the raw
 * driver, and plain JS over its rows. Each must compute exactly what the app computes; the
 * bench asserts that before timing.
 */

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : num(v));
const truthy = (v: unknown): boolean =>
  v === null || v === undefined || v === true || v === 1 || v === '1' || v === 't';

/** The programme aggregate in one statement (programme found by code in the same statement). */
export function reconciliationSql(kind: RawDb['kind']): {
  groups: string;
  headlines: string;
  projects: string;
  outputs: string;
  lastSubmitted: string;
  current: string;
  writes: string;
  changes: string;
  codes: string;
} {
  const ph = kind === 'postgres' ? '$1' : '?';
  const ids = kind === 'postgres' ? `string_agg(CAST(a.id AS varchar), ',')` : 'GROUP_CONCAT(a.id)';
  return {
    groups: `SELECT a.source_kind, a.commitment_status, a.period_kind, a.year_from, a.year_to, COALESCE(pt.code, lt.code) AS theme_code,
                    p.code AS project_code, l.code AS pool_code, sk.capital, SUM(a.amount_pence) AS pence, ${ids} AS ids
               FROM programme g JOIN allocation a ON a.programme_id = g.id AND a.approval_state = 'approved'
               LEFT JOIN source_kind sk ON sk.code = a.source_kind
               LEFT JOIN project p ON p.id = a.project_id LEFT JOIN theme pt ON pt.id = p.theme_id
               LEFT JOIN project_pool l ON l.id = a.pool_id LEFT JOIN theme lt ON lt.id = l.theme_id
              WHERE g.code = ${ph}
              GROUP BY a.source_kind, a.commitment_status, a.period_kind, a.year_from, a.year_to, COALESCE(pt.code, lt.code), p.code, l.code, sk.capital`,
    headlines: `SELECT h.id, h.code, h.measure, h.label, h.qualifier, h.unit, h.value, h."precision", h.rule, h.table_name, h.table_row, h.table_column, h.notes,
                       h.source_document, h.source_section, h.source_quote, h.source_printed
                  FROM headline_figure h JOIN programme g ON g.id = h.programme_id WHERE g.code = ${ph} ORDER BY h.id`,
    projects: `SELECT p.code, t.code AS theme_code, p.status, pl.code AS pool_code FROM project p JOIN programme g ON g.id = p.programme_id
                 LEFT JOIN theme t ON t.id = p.theme_id
                 LEFT JOIN project_pool_member pm ON pm.project_id = p.id LEFT JOIN project_pool pl ON pl.id = pm.pool_id
                WHERE g.code = ${ph} ORDER BY p.code, pl.code`,
    outputs: `SELECT o.metric_code, o.claim_key, o.project_id, SUM(o.value) AS value, MAX(CASE WHEN o.illustrative THEN 1 ELSE 0 END) AS illustrative
                FROM output_actual o JOIN programme g ON g.id = o.programme_id
                WHERE g.code = ${ph} AND o.quarter <= (SELECT MAX(r.quarter) FROM return_version r WHERE r.programme_id = g.id)
                GROUP BY o.metric_code, o.claim_key, o.project_id`,
    lastSubmitted: `SELECT MAX(r.quarter) AS q FROM return_version r JOIN programme g ON g.id = r.programme_id WHERE g.code = ${ph}`,
    // The deal as agreed beside now: current approved money by holder line, the allocation writes
    // approvals audited, the approved requests, and the holders' codes and themes.
    current: `SELECT a.project_id, a.pool_id, a.source_kind, a.source_illustrative AS illustrative, SUM(a.amount_pence) AS pence
                FROM allocation a JOIN programme g ON g.id = a.programme_id
               WHERE g.code = ${ph} AND a.approval_state = 'approved' AND a.commitment_status <> 'withdrawn'
               GROUP BY a.project_id, a.pool_id, a.source_kind, a.source_illustrative`,
    writes: `SELECT e.entity_id, e.before, e.after, e.meta FROM audit_entry e JOIN programme g ON g.id = e.programme_id
              WHERE g.code = ${ph} AND e.entity = 'allocation' AND e.action IN ('create', 'update')
                AND e.meta LIKE '%"changeRequest":%' ORDER BY e.id`,
    changes: `SELECT c.number, c.kind, c.title, c.after, c.illustrative FROM change_request c JOIN programme g ON g.id = c.programme_id
               WHERE g.code = ${ph} AND c.state = 'approved' ORDER BY c.number`,
    codes: `SELECT 'project' AS t, p.id, p.code, th.code AS theme FROM project p JOIN programme g ON g.id = p.programme_id
              LEFT JOIN theme th ON th.id = p.theme_id WHERE g.code = ${ph}
            UNION ALL SELECT 'pool' AS t, l.id, l.code, th.code AS theme FROM project_pool l JOIN programme g ON g.id = l.programme_id
              LEFT JOIN theme th ON th.id = l.theme_id WHERE g.code = ${ph}`,
  };
}

/** A SQL boolean as either driver returns it (SQLite 0/1, PostgreSQL true/false). */
const isTrue = (v: unknown): boolean => v === true || v === 1 || v === '1' || v === 't';

/** The approved requests: those that moved approved money (for explanations), and every one with its mark. */
async function rawChanges(
  raw: RawDb,
  sql: string,
  code: string,
): Promise<{ explaining: ExplainingChange[]; approved: ApprovedChange[] }> {
  const rows = await raw.all<{ number: unknown; kind: string; title: string; after: unknown; illustrative: unknown }>(
    sql,
    [code],
  );
  const explaining: ExplainingChange[] = [];
  for (const r of rows) {
    const after = (typeof r.after === 'string' ? JSON.parse(r.after) : r.after) as {
      envelope?: { sourceKind: string; approvedBefore: string; approvedAfter: string }[];
    } | null;
    const deltaBySource: Record<string, number> = {};
    for (const e of after?.envelope ?? []) {
      const d = parsePounds(e.approvedAfter) - parsePounds(e.approvedBefore);
      if (d !== 0) deltaBySource[e.sourceKind] = d;
    }
    if (Object.keys(deltaBySource).length)
      explaining.push({ number: num(r.number), kind: r.kind, title: r.title, deltaBySource });
  }
  return {
    explaining,
    approved: rows.map((r) => ({ number: num(r.number), title: r.title, illustrative: isTrue(r.illustrative) })),
  };
}

/** Raw driver + the same pure engine: what the service does, minus Nest, TypeORM and the entity layer. */
export async function rawReconciliation(raw: RawDb, code: string): Promise<ReconciliationReport> {
  return (await rawReconciliationWithDelivered(raw, code)).report;
}

/** The report and the last submitted quarter its outputs lines count to. */
export async function rawReconciliationWithDelivered(
  raw: RawDb,
  code: string,
): Promise<{ report: ReconciliationReport; through: string | null }> {
  const sql = reconciliationSql(raw.kind);
  // One connection answers one statement at a time (pg queues them anyway): sequential is no slower.
  const groups = await raw.all<Record<string, unknown>>(sql.groups, [code]);
  const heads = await raw.all<Record<string, unknown>>(sql.headlines, [code]);
  const rows = await raw.all<{ code: string; theme_code: string | null; status: string; pool_code: string | null }>(
    sql.projects,
    [code],
  );
  // One row per project and pool it shares: the projects once each, and each pool's members.
  const projects = [...new Map(rows.map((p) => [p.code, p])).values()];
  const members = new Map<string, string[]>();
  for (const r of rows)
    if (r.pool_code !== null) members.set(r.pool_code, [...(members.get(r.pool_code) ?? []), r.code]);
  const pools = [...members]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([poolCode, projectCodes]) => ({ code: poolCode, projects: projectCodes }));
  const claims = await raw.all<{
    metric_code: string;
    claim_key: string;
    project_id: unknown;
    value: unknown;
    illustrative: unknown;
  }>(sql.outputs, [code]);
  const [last] = await raw.all<{ q: string | null }>(sql.lastSubmitted, [code]);
  const through = last?.q ?? null;
  // Delivered outputs, each shared claim counted once (the same pure rule the app applies).
  const outputs: Record<string, number> = {};
  const delivered: DeliveredByMetric = {};
  for (const [k, t] of countOnce(
    claims.map((c) => ({
      metric: c.metric_code,
      claimKey: c.claim_key,
      projectId: num(c.project_id),
      value: num(c.value),
    })),
  ).totals) {
    outputs[k] = t.total;
    delivered[k] = {
      ...t,
      doubleClaims: 0,
      illustrative: claims.some((c) => c.metric_code === k && num(c.illustrative) === 1),
    };
  }
  const g: AllocationGroup[] = groups.map((r) => ({
    sourceKind: r.source_kind as string,
    commitmentStatus: r.commitment_status as string,
    periodKind: r.period_kind as AllocationGroup['periodKind'],
    yearFrom: numOrNull(r.year_from),
    yearTo: numOrNull(r.year_to),
    themeCode: r.theme_code as string | null,
    projectCode: r.project_code as string | null,
    poolCode: r.pool_code as string | null,
    capital: truthy(r.capital),
    pence: num(r.pence),
    allocationIds: String(r.ids)
      .split(',')
      .map(Number)
      .sort((a, b) => a - b),
  }));
  const h: HeadlineInput[] = heads.map((r) => ({
    id: num(r.id),
    code: r.code as string,
    measure: r.measure as string,
    label: r.label as string,
    qualifier: r.qualifier as HeadlineInput['qualifier'],
    unit: r.unit as HeadlineInput['unit'],
    value: num(r.value),
    precision: num(r.precision),
    rule: r.rule ? JSON.parse(r.rule as string) : {},
    tableName: r.table_name as string | null,
    tableRow: r.table_row as string | null,
    tableColumn: r.table_column as string | null,
    notes: r.notes as string | null,
    source: {
      document: r.source_document as string | null,
      section: r.source_section as string | null,
      quote: r.source_quote as string | null,
      printed: r.source_printed as string | null,
    },
  }));
  const changes = await rawChanges(raw, sql.changes, code);
  const report = reconcile({
    headlines: h,
    groups: g,
    projects: projects.map((p) => ({ code: p.code, themeCode: p.theme_code, status: p.status })),
    pools,
    outputs,
    outputsThrough: through,
    changes: changes.explaining,
  });
  // The deal as agreed beside now, from its own statements; the pure agreed-vs-now rules are shared.
  const current: CurrentLine[] = (
    await raw.all<{
      project_id: unknown;
      pool_id: unknown;
      source_kind: string;
      illustrative: unknown;
      pence: unknown;
    }>(sql.current, [code])
  ).map((r) => ({
    projectId: numOrNull(r.project_id),
    poolId: numOrNull(r.pool_id),
    sourceKind: r.source_kind,
    pence: num(r.pence),
    illustrative: isTrue(r.illustrative),
  }));
  const writes = (
    await raw.all<{ entity_id: unknown; before: unknown; after: unknown; meta: unknown }>(sql.writes, [code])
  ).flatMap((r) => {
    const w: AllocationWrite | null = allocationWriteOf(r);
    return w ? [w] : [];
  });
  const codes = await raw.all<{ t: string; id: unknown; code: string; theme: string | null }>(
    sql.codes,
    raw.kind === 'postgres' ? [code] : [code, code],
  );
  const deal = agreedDealOf(
    { current, writes, changes: changes.approved },
    new Map(codes.map((c) => [`${c.t}|${num(c.id)}`, c.code])),
    new Map(codes.map((c) => [`${c.t}|${num(c.id)}`, c.theme])),
  );
  const delivering = defineDelivered(markIllustrativeOutputs(report, delivered, h), {
    through,
    definition: deliveredDefinition(through),
    byMetric: delivered,
  });
  return { report: withAgreed(delivering, h, g, deal), through };
}

export const NATIONAL_SQL = `SELECT source_kind, period_kind, year_from, year_to, SUM(amount_pence) AS pence FROM allocation
  WHERE approval_state = 'approved' AND commitment_status <> 'withdrawn' GROUP BY source_kind, period_kind, year_from, year_to`;

/** kind → year label → pence, plus the grand total. */
export interface NationalMatrix {
  cells: Map<string, Map<string, number>>;
  grandTotal: number;
}

const fy = (y: number) => `${y}-${String((y + 1) % 100).padStart(2, '0')}`;

/** One statement, then the tightest loop that builds the kind × year matrix. */
export async function rawNationalBreakdown(raw: RawDb): Promise<NationalMatrix> {
  const rows = await raw.all<{
    source_kind: string;
    period_kind: string;
    year_from: unknown;
    year_to: unknown;
    pence: unknown;
  }>(NATIONAL_SQL);
  const cells = new Map<string, Map<string, number>>();
  let grandTotal = 0;
  for (const r of rows) {
    const from = numOrNull(r.year_from);
    const to = numOrNull(r.year_to);
    const label =
      r.period_kind === 'unprofiled' || from === null
        ? 'unprofiled'
        : r.period_kind === 'year' || to === from
          ? fy(from)
          : to === null
            ? `${fy(from)} onwards`
            : `${fy(from)} to ${fy(to)}`;
    let row = cells.get(r.source_kind);
    if (!row) cells.set(r.source_kind, (row = new Map()));
    const p = num(r.pence);
    row.set(label, (row.get(label) ?? 0) + p);
    grandTotal += p;
  }
  return { cells, grandTotal };
}

/** Tables a deal import writes, children first (for emptying between import runs). */
export const DEAL_TABLES = [
  'audit_entry_project',
  'audit_entry',
  'seed_run',
  'headline_figure',
  'allocation',
  'project_pool_member',
  'project_pool',
  'project',
  'theme',
  'programme',
  'organisation',
];

/** Generated delivery rows reference projects: emptied first. */
export const DELIVERY_TABLES = ['output_actual', 'output_target', 'milestone', 'spend_adjustment', 'spend_profile'];

export async function emptyDealTables(raw: RawDb): Promise<void> {
  const tables = [...DELIVERY_TABLES, ...DEAL_TABLES];
  if (raw.kind === 'postgres') await raw.exec(`TRUNCATE ${tables.join(', ')} RESTART IDENTITY CASCADE`);
  else await raw.exec(`BEGIN; ${tables.map((t) => `DELETE FROM ${t};`).join(' ')} COMMIT;`);
}
