import { Injectable } from '@nestjs/common';
import { Actor } from '../../auth/actor';
import { AccountsService } from '../../auth/accounts.service';
import { ChangeRequest } from '../../changes/change-request.entity';
import { longDate, quarterUrl } from '../../common/fiscal';
import { Db } from '../../database/db.service';
import { QuarterlyUpdatesService } from '../../quarterly-updates/quarterly-updates.service';
import { SpendConfirmationService } from '../../quarterly-updates/spend-confirmation.service';
import { ReturnsService } from '../../returns/returns.service';
import { updateUrl } from '../quarter/update-url';

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
    private readonly confirmations: SpendConfirmationService,
  ) {}

  /** Finance: accepted updates whose actual spend awaits confirmation, per programme and quarter (one query). */
  private async spendNotices(actor: Actor): Promise<Notice[]> {
    return (await this.confirmations.counts(actor)).map((c) => ({
      kind: 'spend-awaiting-confirmation',
      text: `${c.count} accepted update${c.count === 1 ? ' has' : 's have'} actual spend for ${c.quarter} of ${c.programmeName} awaiting your confirmation`,
      href: '/manage/confirm-spend',
    }));
  }

  /**
   * Finance: each open programme's reporting quarter, due or overdue against the programme's as-of
   * date (programme time; periods/programme-clock.ts). A programme that never submits shows its
   * return overdue, never silently due. Three queries for all programmes (`dueReturns`); more than
   * three programmes collapse into one notice pointing at the returns page.
   */
  private async returnNotices(): Promise<Notice[]> {
    const due = (await this.returns.dueReturns()).filter((r) => r.state === 'due');
    const notices = due.map((r): Notice => {
      const href = `/manage/returns/${quarterUrl(r.quarter)}?programme=${encodeURIComponent(r.programme)}`;
      if (r.standing === 'overdue')
        return {
          kind: 'return-overdue',
          text: `The ${r.quarter} return for ${r.programmeName} is overdue: it was due ${longDate(r.dueOn, '')}${r.overdue.length > 1 ? ` (${r.overdue.length} quarterly returns are overdue)` : ''}`,
          href,
        };
      return {
        kind: 'return-due',
        text: `The ${r.quarter} return for ${r.programmeName} is due${r.dueOn ? ` by ${longDate(r.dueOn, '')}` : ''}`,
        href,
      };
    });
    if (notices.length <= 3) return notices;
    const late = notices.filter((n) => n.kind === 'return-overdue').length;
    return [
      {
        kind: 'returns-due',
        text: `${notices.length} programmes have a quarterly return due${late ? `, ${late} of them overdue` : ''}`,
        href: '/manage/returns',
      },
    ];
  }

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
    if (actor.role === 'finance') out.push(...(await this.returnNotices()), ...(await this.spendNotices(actor)));
    const waiting = await this.updates.waiting(actor);
    // A project by its name and code, as the task list shows it; with several programmes (whose
    // project codes repeat), its programme's name too.
    const named = (u: (typeof waiting.returned)[number]) =>
      `${u.projectName} (${u.project})${waiting.several ? ` in ${u.programmeName}` : ''}`;
    for (const u of waiting.returned)
      out.push({
        kind: 'update-returned',
        text: `The ${u.quarter} update for ${named(u)} was returned for revision`,
        href: updateUrl(waiting.several ? u.programme : undefined, u.project),
      });
    for (const u of waiting.submitted)
      out.push({
        kind: 'update-awaiting-review',
        text: `The ${u.quarter} update for ${named(u)} is waiting for your review`,
        href: updateUrl(waiting.several ? u.programme : undefined, u.project),
      });
    return out;
  }

  /**
   * How many notices `list` gives, for every staff page's header. Other than administrators,
   * approvers and finance, a user's notices are only the updates waiting for them: those are
   * counted in one lean statement rather than read with names and written as texts.
   */
  async count(actor: Actor): Promise<number> {
    if (actor.role !== 'admin' && actor.role !== 'approver' && actor.role !== 'finance')
      return this.updates.waitingCount(actor);
    return (await this.list(actor)).length;
  }
}
