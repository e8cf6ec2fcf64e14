import { In } from 'typeorm';
import { ChangeRequest } from '../../changes/change-request.entity';
import { ChangeRequestsService } from '../../changes/change-requests.service';
import { formatQuarter } from '../../common/fiscal';
import { ReturnVersion } from '../../periods/return-version.entity';
import { ChangeDiffRow, changeDiffRows } from '../../changes/change-diff';
import { ColumnSpec, RowInput } from '../../xlsx';
import { ReturnCheck, ReturnContext, SectionProvider, SectionResult } from '../return-document';

const COLUMNS: ColumnSpec[] = [
  { key: 'number', header: 'Number', type: 'integer' },
  { key: 'kind', header: 'Kind', type: 'text', maxWidth: 40 },
  { key: 'title', header: 'Title', type: 'text', maxWidth: 50 },
  { key: 'description', header: 'What it does', type: 'text', maxWidth: 100 },
  { key: 'reason', header: 'Reason', type: 'text', maxWidth: 70 },
  { key: 'decision', header: 'Decision', type: 'text' },
  { key: 'decidedBy', header: 'Decided by', type: 'text' },
  { key: 'decidedAt', header: 'Decided at (UTC)', type: 'datetime' },
  { key: 'decisionReason', header: 'Decision reason', type: 'text', maxWidth: 70 },
  { key: 'item', header: 'What changed', type: 'text', maxWidth: 50 },
  { key: 'field', header: 'Field', type: 'text', maxWidth: 40 },
  { key: 'before', header: 'Before', type: 'text', maxWidth: 40 },
  { key: 'after', header: 'After', type: 'text', maxWidth: 40 },
];

/**
 * Change requests decided in the quarter. The programme's quarters are replayed on its own
 * clock, so "in the quarter" means decided after the previous quarter's return was submitted
 * (any time before, for the first return), and up to now (or the submission being frozen).
 */
export class ChangesSection implements SectionProvider {
  readonly key = 'changes' as const;

  constructor(private readonly changes: ChangeRequestsService) {}

  async build(ctx: ReturnContext): Promise<SectionResult> {
    const { m, programme } = ctx;
    const prev = await m
      .getRepository(ReturnVersion)
      .createQueryBuilder('r')
      .where('r.programme_id = :p AND r.quarter < :q', { p: programme.id, q: formatQuarter(ctx.quarter) })
      .orderBy('r.quarter', 'DESC')
      .addOrderBy('r.version', 'DESC')
      .getOne();
    const qb = m
      .getRepository(ChangeRequest)
      .createQueryBuilder('c')
      .where({ programmeId: programme.id, state: In(['approved', 'rejected']) })
      .andWhere('c.decided_at IS NOT NULL');
    if (prev) qb.andWhere('c.decided_at > :since', { since: prev.submittedAt });
    const decided = await qb.orderBy('c.number', 'ASC').getMany();
    const presented = await this.changes.presentMany(m, programme, decided);
    // One row per field the change moved (readable, not JSON); the request's own columns on its first row.
    const rows: RowInput[] = [];
    for (const c of presented) {
      const diff: (ChangeDiffRow | null)[] = c.state === 'approved' ? changeDiffRows(c.before, c.after) : [];
      if (!diff.length) diff.push(null);
      diff.forEach((d, i) =>
        rows.push({
          number: c.number,
          ...(i === 0
            ? {
                kind: c.kindLabel,
                title: c.title,
                description: c.description,
                reason: c.reason,
                decision: c.state,
                decidedBy: c.decidedBy,
                decidedAt: c.decidedAt,
                decisionReason: c.decisionReason,
              }
            : {}),
          item: d?.item ?? (c.state === 'approved' ? 'nothing recorded' : 'nothing (rejected)'),
          field: d?.field ?? null,
          before: d?.before ?? null,
          after: d?.after ?? null,
        }),
      );
    }
    const checks: ReturnCheck[] = [];
    const window = prev
      ? `since the ${prev.quarter} return was submitted (${prev.submittedAt})`
      : 'before this first return';
    checks.push({
      code: 'CHANGES_DECIDED',
      severity: 'note',
      section: 'changes',
      message: presented.length
        ? `${presented.length} change request${presented.length === 1 ? ' was' : 's were'} decided ${window}: ${presented.map((c) => `${c.number} ${c.state}`).join(', ')}`
        : `no change request was decided ${window}`,
    });
    return {
      table: {
        key: 'changes',
        title: 'Change requests decided in the quarter',
        sheet: 'Change requests',
        columns: COLUMNS,
        rows,
      },
      checks,
      // The kinds' own before and after, kept whole in the snapshot for machines.
      data: { decided: presented.map((c) => ({ number: c.number, before: c.before, after: c.after })) },
    };
  }
}
