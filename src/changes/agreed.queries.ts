import { EntityManager } from 'typeorm';
import { formatPounds, narrowPence } from '../common/money';
import { exactSum, toBigInt, toBool, toInt, toIntOrNull } from '../database/sql-values';
import {
  agreedVsNow,
  agreedWords,
  type AgreedLine,
  type AllocationState,
  type AllocationWrite,
  type ApprovedChange,
  type CurrentLine,
} from './engine/agreed';

export type { AgreedLine } from './engine/agreed';
export {
  agreedFigures,
  agreedWords,
  changeRequestWords,
  combineAgreed,
  illustrativeMark,
  illustrativeParts,
  illustrativeWords,
  mergeIllustrativeParts,
  signedMillions,
  type IllustrativeParts,
} from './engine/agreed';

/** An agreed-vs-now line with the codes a page or an export shows. */
export interface AgreedLineView extends AgreedLine {
  projectCode: string | null;
  poolCode: string | null;
}

const PERIOD_KINDS = ['year', 'range', 'unprofiled'] as const;

function stateOf(v: unknown): AllocationState | null {
  if (!v || typeof v !== 'object') return null;
  const o = v as Record<string, unknown>;
  if (typeof o.sourceKind !== 'string' || o.amountPence === undefined) return null;
  if (o.approvalState !== undefined && o.approvalState !== 'approved') return null;
  const period = PERIOD_KINDS.find((k) => k === o.periodKind);
  return {
    projectId: toIntOrNull(o.projectId),
    poolId: toIntOrNull(o.poolId),
    sourceKind: o.sourceKind,
    amountPence: narrowPence(toBigInt(o.amountPence, 'amountPence')),
    commitmentStatus: String(o.commitmentStatus ?? 'confirmed'),
    ...(period
      ? { periodKind: period, yearFrom: toIntOrNull(o.yearFrom ?? null), yearTo: toIntOrNull(o.yearTo ?? null) }
      : {}),
  };
}

/**
 * One audited allocation write of an approved change request, from its audit row (before,
 * after and meta as stored: JSON text or already parsed); null when it is not one. Pure: the
 * app's query and the benchmark's raw baseline read the same rows through it.
 */
export function allocationWriteOf(r: {
  entity_id?: unknown;
  before: unknown;
  after: unknown;
  meta: unknown;
}): AllocationWrite | null {
  const meta = json(r.meta) as Record<string, unknown> | null;
  const n = meta?.changeRequest;
  if (typeof n !== 'number') return null;
  return {
    changeRequest: n,
    ...(r.entity_id === undefined || r.entity_id === null ? {} : { allocationId: toInt(r.entity_id) }),
    before: stateOf(json(r.before)),
    after: stateOf(json(r.after)),
  };
}

/** An allocation state with the codes a report names it by, and its theme (the project's or the pool's). */
export interface AllocationStateView extends AllocationState {
  projectCode: string | null;
  poolCode: string | null;
  themeCode: string | null;
}

export interface AllocationWriteView {
  changeRequest: number;
  allocationId: number | null;
  before: AllocationStateView | null;
  after: AllocationStateView | null;
}

/** The deal as agreed beside now, with the allocation writes and approved requests it was worked from. */
export interface AgreedDeal {
  lines: AgreedLineView[];
  writes: AllocationWriteView[];
  changes: ApprovedChange[];
}

function json(v: unknown): unknown {
  if (typeof v !== 'string') return v ?? null;
  try {
    return JSON.parse(v);
  } catch {
    return null;
  }
}

/**
 * The deal as agreed beside the current approved allocation, for one programme (optionally one
 * project's own lines), in four queries whatever its size (see agreedDeal).
 */
export async function agreedLines(
  m: EntityManager,
  programmeId: number,
  opts: { projectId?: number } = {},
): Promise<AgreedLineView[]> {
  const { lines } = await agreedDeal(m, programmeId);
  return lines.filter((l) => opts.projectId === undefined || l.projectId === opts.projectId);
}

/**
 * Agreed vs now for one programme in four queries whatever its size: the current approved money
 * by line, the allocation writes approvals recorded (each before/after in the audit trail,
 * written in the approval's transaction), the approved change requests, and the codes (with
 * themes). The writes come back too, allocation by allocation, for reports that select money
 * more finely than a line (a reconciliation line by year or theme).
 */
export async function agreedDeal(m: EntityManager, programmeId: number): Promise<AgreedDeal> {
  const r = await agreedDealRows(m, programmeId);
  return agreedDealOf(r, r.code, r.theme);
}

/** The rows agreedDeal reads (four queries), for callers that shape them after the unit of work. */
export async function agreedDealRows(m: EntityManager, programmeId: number) {
  const rows: Record<string, unknown>[] = await m
    .createQueryBuilder()
    .from('allocation', 'a')
    .select('a.project_id', 'project_id')
    .addSelect('a.pool_id', 'pool_id')
    .addSelect('a.source_kind', 'source_kind')
    .addSelect('a.source_illustrative', 'illustrative')
    .addSelect(exactSum('a.amount_pence'), 'pence')
    .where("a.programme_id = :programmeId AND a.approval_state = 'approved' AND a.commitment_status <> 'withdrawn'", {
      programmeId,
    })
    .groupBy('a.project_id')
    .addGroupBy('a.pool_id')
    .addGroupBy('a.source_kind')
    .addGroupBy('a.source_illustrative')
    .getRawMany();
  const current: CurrentLine[] = rows.map((r) => ({
    projectId: toIntOrNull(r.project_id),
    poolId: toIntOrNull(r.pool_id),
    sourceKind: String(r.source_kind),
    pence: narrowPence(toBigInt(r.pence)),
    illustrative: toBool(r.illustrative),
  }));
  const audited: Record<string, unknown>[] = await m
    .createQueryBuilder()
    .from('audit_entry', 'e')
    .select(['e.entity_id AS entity_id', 'e.before AS before', 'e.after AS after', 'e.meta AS meta'])
    .where("e.programme_id = :programmeId AND e.entity = 'allocation' AND e.action IN ('create', 'update')", {
      programmeId,
    })
    .andWhere('e.meta LIKE :cr', { cr: '%"changeRequest":%' })
    .orderBy('e.id', 'ASC')
    .getRawMany();
  const writes: AllocationWrite[] = audited.flatMap((r) => {
    const w = allocationWriteOf(r as { entity_id: unknown; before: unknown; after: unknown; meta: unknown });
    return w ? [w] : [];
  });
  const crs: Record<string, unknown>[] = await m
    .createQueryBuilder()
    .from('change_request', 'c')
    .select(['c.number AS number', 'c.title AS title', 'c.illustrative AS illustrative'])
    .where("c.programme_id = :programmeId AND c.state = 'approved'", { programmeId })
    .getRawMany();
  const changes: ApprovedChange[] = crs.map((c) => ({
    number: toInt(c.number),
    title: String(c.title),
    illustrative: toBool(c.illustrative),
  }));
  const codes: Record<string, unknown>[] = await m.query(
    `SELECT 'project' AS t, p.id AS id, p.code AS code, th.code AS theme
       FROM project p LEFT JOIN theme th ON th.id = p.theme_id WHERE p.programme_id = $1
     UNION ALL SELECT 'pool' AS t, l.id AS id, l.code AS code, th.code AS theme
       FROM project_pool l LEFT JOIN theme th ON th.id = l.theme_id WHERE l.programme_id = $1`.replace(
      /\$1/g,
      String(Number(programmeId)),
    ),
  );
  const code = new Map(codes.map((c) => [`${String(c.t)}|${toInt(c.id)}`, String(c.code)]));
  const theme = new Map(codes.map((c) => [`${String(c.t)}|${toInt(c.id)}`, c.theme === null ? null : String(c.theme)]));
  return { current, writes, changes, code, theme };
}

/** Pure: the lines and the writes named by code (shared with the benchmark's raw baseline). */
export function agreedDealOf(
  input: { current: readonly CurrentLine[]; writes: readonly AllocationWrite[]; changes: readonly ApprovedChange[] },
  code: ReadonlyMap<string, string>,
  theme: ReadonlyMap<string, string | null>,
): AgreedDeal {
  const projectCode = (id: number | null) => (id === null ? null : (code.get(`project|${id}`) ?? null));
  const poolCode = (id: number | null) => (id === null ? null : (code.get(`pool|${id}`) ?? null));
  const view = (s: AllocationState | null): AllocationStateView | null =>
    s && {
      ...s,
      projectCode: projectCode(s.projectId),
      poolCode: poolCode(s.poolId),
      themeCode:
        (s.projectId !== null ? theme.get(`project|${s.projectId}`) : undefined) ??
        (s.poolId !== null ? theme.get(`pool|${s.poolId}`) : undefined) ??
        null,
    };
  const approved = new Set(input.changes.map((c) => c.number));
  return {
    lines: agreedVsNow(input.current, input.writes, input.changes).map((l) => ({
      ...l,
      projectCode: projectCode(l.projectId),
      poolCode: poolCode(l.poolId),
    })),
    writes: input.writes
      .filter((w) => approved.has(w.changeRequest))
      .map((w) => ({
        changeRequest: w.changeRequest,
        allocationId: w.allocationId ?? null,
        before: view(w.before),
        after: view(w.after),
      })),
    changes: [...input.changes].sort((a, b) => a.number - b.number),
  };
}

/** One line as the API, CSV and workbook speak it: codes, pound strings, the requests, the words. */
export function presentAgreedLine(l: AgreedLineView) {
  return {
    project: l.projectCode,
    pool: l.poolCode,
    sourceKind: l.sourceKind,
    agreed: formatPounds(l.agreedPence),
    now: formatPounds(l.nowPence),
    change: formatPounds(l.deltaPence),
    changed: l.changed,
    illustrative: l.illustrative,
    changeRequests: l.changes.map((c) => ({
      number: c.number,
      title: c.title,
      change: formatPounds(c.deltaPence),
      illustrative: c.illustrative,
    })),
    words: agreedWords(l),
  };
}

export const AGREED_CSV_HEADER = [
  'Project',
  'Shared pool',
  'Source',
  'Agreed (£)',
  'Now (£)',
  'Change (£)',
  'Change requests',
  'Illustrative',
  'In words',
];

/** The CSV rows of agreed vs now: one per line, changed or not; illustrative lines say "yes". */
export function agreedCsvRows(lines: readonly AgreedLineView[]): string[][] {
  return lines.map((l) => {
    const p = presentAgreedLine(l);
    return [
      p.project ?? '',
      p.pool ?? '',
      p.sourceKind,
      p.agreed,
      p.now,
      p.change,
      p.changeRequests.map((c) => `${c.number}: ${c.change}`).join('; '),
      p.illustrative ? 'yes' : 'no',
      p.words,
    ];
  });
}
