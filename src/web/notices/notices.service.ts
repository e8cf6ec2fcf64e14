import { Injectable } from '@nestjs/common';
import { Actor } from '../../auth/actor';
import { AccountsService } from '../../auth/accounts.service';
import { ChangeRequest } from '../../changes/change-request.entity';
import { Db } from '../../database/db.service';
import { QuarterlyUpdatesService } from '../../quarterly-updates/quarterly-updates.service';

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
