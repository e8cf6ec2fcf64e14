import { In } from 'typeorm';
import { ChangeRequest } from '../../changes/change-request.entity';
import type { ChangeRequestsService } from '../../changes/change-requests.service';
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
 * clock, so "in the quarter" is programme time: decided in a programme quarter after the
 * previous return's quarter (any earlier one, for the first return) up to this return's quarter
 * (change_request.decided_quarter; the wall-clock instant is shown beside it).
 */
export class ChangesSection implements SectionProvider {
  readonly key = 'changes' as const;

  /**
   * The change requests' presenter, asked for only when the window has decided requests: it
   * brings the change kinds and their payload validation, which a return without any does not load.
   */
  constructor(private readonly changes: () => Promise<Pick<ChangeRequestsService, 'presentMany'>>) {}

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
    // Quarter codes ("2015-16 Q1") sort as text in calendar order.
    qb.andWhere('c.decided_quarter <= :q', { q: formatQuarter(ctx.quarter) });
    if (prev) qb.andWhere('c.decided_quarter > :since', { since: prev.quarter });
    const decided = await qb.orderBy('c.number', 'ASC').getMany();
    const presented = decided.length ? await (await this.changes()).presentMany(m, programme, decided) : [];
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
      ? `in the quarters after the ${prev.quarter} return, up to ${formatQuarter(ctx.quarter)}`
      : `up to ${formatQuarter(ctx.quarter)}, the first return`;
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
