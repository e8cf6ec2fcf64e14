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

function stateOf(v: unknown): AllocationState | null {
  if (!v || typeof v !== 'object') return null;
  const o = v as Record<string, unknown>;
  if (typeof o.sourceKind !== 'string' || o.amountPence === undefined) return null;
  if (o.approvalState !== undefined && o.approvalState !== 'approved') return null;
  return {
    projectId: toIntOrNull(o.projectId),
    poolId: toIntOrNull(o.poolId),
    sourceKind: o.sourceKind,
    amountPence: narrowPence(toBigInt(o.amountPence, 'amountPence')),
    commitmentStatus: String(o.commitmentStatus ?? 'confirmed'),
  };
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
 * project's own lines), in four queries whatever its size: the current approved money by line,
 * the allocation writes approvals recorded (each before/after in the audit trail, written in
 * the approval's transaction), the approved change requests, and the codes.
 */
export async function agreedLines(
  m: EntityManager,
  programmeId: number,
  opts: { projectId?: number } = {},
): Promise<AgreedLineView[]> {
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
    .select(['e.before AS before', 'e.after AS after', 'e.meta AS meta'])
    .where("e.programme_id = :programmeId AND e.entity = 'allocation' AND e.action IN ('create', 'update')", {
      programmeId,
    })
    .andWhere('e.meta LIKE :cr', { cr: '%"changeRequest":%' })
    .orderBy('e.id', 'ASC')
    .getRawMany();
  const writes: AllocationWrite[] = audited.flatMap((r) => {
    const meta = json(r.meta) as Record<string, unknown> | null;
    const n = meta?.changeRequest;
    if (typeof n !== 'number') return [];
    return [{ changeRequest: n, before: stateOf(json(r.before)), after: stateOf(json(r.after)) }];
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
    `SELECT 'project' AS t, id, code FROM project WHERE programme_id = $1
     UNION ALL SELECT 'pool' AS t, id, code FROM project_pool WHERE programme_id = $1`.replace(
      /\$1/g,
      String(Number(programmeId)),
    ),
  );
  const code = new Map(codes.map((c) => [`${String(c.t)}|${toInt(c.id)}`, String(c.code)]));
  return agreedVsNow(current, writes, changes)
    .filter((l) => opts.projectId === undefined || l.projectId === opts.projectId)
    .map((l) => ({
      ...l,
      projectCode: l.projectId === null ? null : (code.get(`project|${l.projectId}`) ?? null),
      poolCode: l.poolId === null ? null : (code.get(`pool|${l.poolId}`) ?? null),
    }));
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
