import { Body, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { sameActor } from '../../auth/actor';
import { Roles } from '../../auth/roles.decorator';
import { DomainError, FieldProblem } from '../../common/errors';
import { SpendConfirmationService } from '../../quarterly-updates/spend-confirmation.service';
import { formErrors, problemsOf } from '../forms/errors';
import { Pages, WebRequest } from '../pages.service';
import { StaffPages } from '../staff-pages.decorator';

type Form = Record<string, unknown>;
const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
const versionOf = (body: Form) => {
  const v = Number(body.version);
  return Number.isSafeInteger(v) && v > 0 ? v : undefined;
};
const PAGE = '/manage/confirm-spend';
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * Finance confirms the actual spend of accepted quarterly updates: each update's proposed actuals
 * beside the figures recorded now, "Confirm spend" per project and "Confirm all" per programme
 * and quarter. Until then a delivery partner's figures are not actuals. The rules (separation of
 * duties, period locks, versions) are SpendConfirmationService's; this reads forms and renders.
 */
@StaffPages('confirm-spend')
export class ConfirmSpendController {
  constructor(
    private readonly pages: Pages,
    private readonly confirmations: SpendConfirmationService,
  ) {}

  @Get()
  @Roles('finance')
  page(@Req() req: WebRequest, @Res() reply: FastifyReply) {
    return this.render(req, reply);
  }

  private async render(req: WebRequest, reply: FastifyReply, problems: FieldProblem[] = [], status = 200) {
    const actor = req.actor!;
    const awaiting = await this.confirmations.awaiting();
    const groups: {
      programme: string;
      programmeName: string;
      quarter: string;
      updates: ((typeof awaiting)[number] & { mine: boolean })[];
      confirmable: number;
    }[] = [];
    for (const u of awaiting) {
      let g = groups.find((x) => x.programme === u.programme && x.quarter === u.quarter);
      if (!g) {
        g = { programme: u.programme, programmeName: u.programmeName, quarter: u.quarter, updates: [], confirmable: 0 };
        groups.push(g);
      }
      const mine = sameActor(u.submittedBy, u.submittedByUserId, actor);
      g.updates.push({ ...u, mine });
      if (!mine) g.confirmable++;
    }
    return this.pages.render(
      req,
      reply,
      'confirm-spend/index.njk',
      {
        pageTitle: 'Confirm spend',
        groups,
        total: awaiting.length,
        errors: problems.length ? formErrors(problems, {}, { form: 'awaiting' }) : undefined,
      },
      status,
    );
  }

  /** A refusal in words on the page (separation of duties 403, a stale or locked figure 409), else thrown on. */
  private refused(req: WebRequest, reply: FastifyReply, e: unknown) {
    if (e instanceof DomainError && e.code === 'SEPARATION_OF_DUTIES')
      return this.render(req, reply, [{ field: 'form', problem: e.message }], 403);
    const ps = problemsOf(e);
    if (!ps) throw e;
    return this.render(req, reply, ps, e instanceof DomainError ? e.status : 400);
  }

  @Post(':project')
  @Roles('finance')
  async confirm(
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Param('project') project: string,
    @Body() body: Form,
  ) {
    let res: Awaited<ReturnType<SpendConfirmationService['confirm']>>;
    try {
      res = await this.confirmations.confirm(
        text(body?.programme),
        project,
        text(body?.quarter),
        versionOf(body ?? {}),
        req.actor!,
      );
    } catch (e) {
      return this.refused(req, reply, e);
    }
    return this.pages.redirect(
      req,
      reply,
      PAGE,
      `Confirmed the ${res.quarter} actual spend of ${res.project}: ${plural(res.applied, 'actual', 'actuals')} recorded`,
    );
  }

  @Post()
  @Roles('finance')
  async confirmAll(@Req() req: WebRequest, @Res() reply: FastifyReply, @Body() body: Form) {
    let res: Awaited<ReturnType<SpendConfirmationService['confirmAll']>>;
    try {
      res = await this.confirmations.confirmAll(text(body?.programme), text(body?.quarter), req.actor!);
    } catch (e) {
      return this.refused(req, reply, e);
    }
    const skipped = res.skipped.length
      ? `; ${res.skipped.join(', ')} left for another finance user (you submitted ${res.skipped.length === 1 ? 'it' : 'them'})`
      : '';
    return this.pages.redirect(
      req,
      reply,
      PAGE,
      `Confirmed the ${res.quarter} actual spend of ${plural(res.confirmed.length, 'project', 'projects')}${res.confirmed.length ? ` (${res.confirmed.join(', ')})` : ''}${skipped}`,
    );
  }
}
