import { In } from 'typeorm';
import { ChangeRequest } from '../../changes/change-request.entity';
import { ChangeRequestsService } from '../../changes/change-requests.service';
import { formatQuarter } from '../../common/fiscal';
import { ReturnVersion } from '../../periods/return-version.entity';
import { ColumnSpec } from '../../xlsx';
import { ReturnCheck, ReturnContext, SectionProvider, SectionResult } from '../return-document';

const COLUMNS: ColumnSpec[] = [
  { key: 'number', header: 'Number', type: 'integer' },
  { key: 'kind', header: 'Kind', type: 'text', maxWidth: 40 },
  { key: 'title', header: 'Title', type: 'text', maxWidth: 50 },
  { key: 'description', header: 'What it does', type: 'text', maxWidth: 100 },
  { key: 'reason', header: 'Reason', type: 'text', maxWidth: 70 },
  { key: 'decision', header: 'Decision', type: 'text' },
  { key: 'decidedBy', header: 'Decided by', type: 'text' },
  { key: 'decidedAt', header: 'Decided at (UTC)', type: 'text' },
  { key: 'decisionReason', header: 'Decision reason', type: 'text', maxWidth: 70 },
  { key: 'before', header: 'Before', type: 'text', maxWidth: 100 },
  { key: 'after', header: 'After', type: 'text', maxWidth: 100 },
];

const compact = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));

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
    const rows = presented.map((c) => ({
      number: c.number,
      kind: c.kindLabel,
      title: c.title,
      description: c.description,
      reason: c.reason,
      decision: c.state,
      decidedBy: c.decidedBy,
      decidedAt: c.decidedAt,
      decisionReason: c.decisionReason,
      before: compact(c.before),
      after: compact(c.after),
    }));
    const checks: ReturnCheck[] = [];
    const window = prev
      ? `since the ${prev.quarter} return was submitted (${prev.submittedAt})`
      : 'before this first return';
    checks.push({
      code: 'CHANGES_DECIDED',
      severity: 'note',
      section: 'changes',
      message: rows.length
        ? `${rows.length} change request${rows.length === 1 ? ' was' : 's were'} decided ${window}: ${presented.map((c) => `${c.number} ${c.state}`).join(', ')}`
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
    };
  }
}
