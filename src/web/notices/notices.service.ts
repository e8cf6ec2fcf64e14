import { Injectable } from '@nestjs/common';
import { Actor } from '../../auth/actor';
import { quarterUrl } from '../../common/fiscal';
import { AccountsService } from '../../auth/accounts.service';
import { ChangeRequest } from '../../changes/change-request.entity';
import { Db } from '../../database/db.service';
import { QuarterlyUpdatesService } from '../../quarterly-updates/quarterly-updates.service';
import { ReturnsService } from '../../returns/returns.service';

export interface Notice {
  /** Stable kind, for tests and styling. */
  kind: string;
  text: string;
  href: string;
}

/**
 * What needs each user, pulled from the features when asked (never pushed or registered):
 * a fixed, small number of queries per page whatever the size of the programme. The quarter
 * pages add their own sources here (updates returned, awaiting review, returns due).
 */
@Injectable()
export class NoticesService {
  constructor(
    private readonly db: Db,
    private readonly accounts: AccountsService,
    private readonly updates: QuarterlyUpdatesService,
    private readonly returns: ReturnsService,
  ) {}

  async list(actor: Actor): Promise<Notice[]> {
    const out: Notice[] = [];
    if (actor.role === 'admin') {
      for (const u of await this.accounts.lockedUsers())
        out.push({
          kind: 'account-locked',
          text: `${u.name}'s account is locked after failed sign-in attempts`,
          href: `/manage/admin/users/${u.id}`,
        });
    }
    if (actor.role === 'admin' || actor.role === 'approver') {
      const waiting = await this.db.read((m) => m.count(ChangeRequest, { where: { state: 'submitted' } }));
      if (waiting)
        out.push({
          kind: 'change-requests-awaiting-decision',
          text: `${waiting} change request${waiting === 1 ? ' is' : 's are'} waiting for a decision`,
          href: '/manage/change-requests',
        });
    }
    if (actor.role === 'finance') {
      // Due: the reporting quarter of a programme not yet closed (two queries for all programmes).
      const due = (await this.returns.dueReturns()).filter((r) => r.state === 'due');
      if (due.length > 3)
        out.push({
          kind: 'returns-due',
          text: `${due.length} programmes have a quarterly return due`,
          href: '/manage/returns',
        });
      else
        for (const r of due)
          out.push({
            kind: 'return-due',
            text: `The ${r.quarter} return for ${r.programmeName} is due`,
            href: `/manage/returns/${quarterUrl(r.quarter)}?programme=${encodeURIComponent(r.programme)}`,
          });
    }
    const waiting = await this.updates.waiting(actor);
    for (const u of waiting.returned)
      out.push({
        kind: 'update-returned',
        text: `The ${u.quarter} update for ${u.project} was returned for revision`,
        href: `/manage/quarter/${u.project}`,
      });
    for (const u of waiting.submitted)
      out.push({
        kind: 'update-awaiting-review',
        text: `The ${u.quarter} update for ${u.project} is waiting for your review`,
        href: `/manage/quarter/${u.project}`,
      });
    return out;
  }

  async count(actor: Actor): Promise<number> {
    return (await this.list(actor)).length;
  }
}
