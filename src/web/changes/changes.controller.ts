import { Body, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { ANY_ROLE, Roles } from '../../auth/roles.decorator';
import { CHANGE_STATES, ChangeState } from '../../changes/change-request.entity';
import { ChangeRequestsService } from '../../changes/change-requests.service';
import { sameActor } from '../../changes/change-rules';
import { RejectDto } from '../../changes/dto/change-request.dto';
import { DomainError, FieldProblem, NotFoundError, ValidationError } from '../../common/errors';
import { formErrors, problemsOf } from '../forms/errors';
import { Pages, WebRequest } from '../pages.service';
import { StaffPages } from '../staff-pages.decorator';
import { ChangePagesService, Presented, STATE_TAGS } from './change-pages.service';
import { formHoldsAll } from './kind-forms';

type Form = Record<string, unknown>;
const text = (v: unknown) => (typeof v === 'string' ? v : '');
const programmeIn = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
/** A change request's number from the path: anything else is a page that does not exist. */
export const numberOf = (v: string) => {
  const n = /^\d{1,9}$/.test(v) ? Number(v) : 0;
  if (n < 1) throw new NotFoundError('change request', v, 'number');
  return n;
};
/** Refusals of the person, not the input: shown on the change's page with their 403. */
const STEP_REFUSALS = new Set(['SEPARATION_OF_DUTIES', 'NOT_AUTHOR']);
const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
export const changeUrl = (programme: string, n: number) =>
  `/manage/change-requests/${n}?programme=${encodeURIComponent(programme)}`;

/**
 * A programme's change requests: the list (filtered by state), each request's page (before and
 * after as a table, its history, and the steps the reader may take: submit, approve, reject,
 * withdraw). Every step is ChangeRequestsService's or ApprovalService's, as the API's; this only
 * reads forms. Drafting from forms is ChangeFormsController's.
 */
@StaffPages('change-requests')
export class ChangesPagesController {
  constructor(
    private readonly pages: Pages,
    private readonly changes: ChangeRequestsService,
    private readonly view: ChangePagesService,
  ) {}

  @Get()
  @Roles(...ANY_ROLE)
  async list(
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Query('programme') programme?: string,
    @Query('state') state?: string,
  ) {
    const { prog, all } = await this.view.programme(programmeIn(programme));
    const filter = CHANGE_STATES.includes(state as ChangeState) ? (state as ChangeState) : undefined;
    const page = await this.changes.list(prog.code, { state: filter, limit: 500 });
    const canDraft = ['programme_manager', 'finance', 'admin'].includes(req.actor!.role);
    return this.pages.render(req, reply, 'changes/list.njk', {
      pageTitle: 'Change requests',
      programme: { code: prog.code, name: prog.name },
      programmes: all,
      state: filter ?? '',
      states: CHANGE_STATES.map((s) => ({ value: s, text: STATE_TAGS[s].text, selected: s === filter })),
      total: page.total,
      items: page.items.map((c) => ({ ...c, tag: STATE_TAGS[c.state], href: changeUrl(prog.code, c.number) })),
      canDraft,
    });
  }

  @Get(':number')
  @Roles(...ANY_ROLE)
  page(
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Param('number') number: string,
    @Query('programme') programme?: string,
  ) {
    return this.renderPage(req, reply, programmeIn(programme), numberOf(number));
  }

  private async renderPage(
    req: WebRequest,
    reply: FastifyReply,
    programme: string | undefined,
    n: number,
    problems: FieldProblem[] = [],
    values: Form = {},
    status = 200,
  ) {
    const { prog } = await this.view.programme(programme);
    const cr = await this.changes.get(prog.code, n);
    const actor = req.actor!;
    const options = await this.view.options(prog);
    const projects = new Map(options.projects.map((p) => [p.value, p.text]));
    const { rows, preview, refusal } = await this.view.changes(prog, cr, actor, projects);
    const role = actor.role;
    const author = sameActor(cr.createdBy, null, actor);
    const submitter = sameActor(cr.submittedBy, null, actor);
    const drafter = ['programme_manager', 'finance', 'admin'].includes(role);
    const formEditable = cr.state === 'draft' && formHoldsAll(cr.kind, cr.payload as Record<string, unknown>);
    const approver = role === 'approver' || role === 'admin';
    return this.pages.render(
      req,
      reply,
      'changes/change.njk',
      {
        pageTitle: `Change request ${cr.number}: ${cr.title}`,
        backLink: {
          href: `/manage/change-requests?programme=${encodeURIComponent(prog.code)}`,
          text: 'Back to change requests',
        },
        programme: { code: prog.code, name: prog.name },
        cr,
        tag: STATE_TAGS[cr.state],
        projectNames: cr.projects.map((p) => projects.get(p) ?? p),
        rows,
        preview,
        refusal,
        history: this.view.history(prog, cr),
        action: `/manage/change-requests/${cr.number}`,
        canSubmit: cr.state === 'draft' && drafter && (author || role === 'admin'),
        // Its author (or an admin) edits a draft in its kind's form, before submitting it.
        canEdit: cr.state === 'draft' && drafter && (author || role === 'admin') && formEditable,
        editOnlyByApi: cr.state === 'draft' && drafter && (author || role === 'admin') && !formEditable,
        editHref: `/manage/change-requests/${cr.number}/edit?programme=${encodeURIComponent(prog.code)}`,
        // Separation of duties, as ApprovalService enforces it: never the one who submitted it.
        canDecide: cr.state === 'submitted' && approver && !submitter,
        decideBlocked: cr.state === 'submitted' && approver && submitter,
        canWithdraw: (cr.state === 'draft' || cr.state === 'submitted') && drafter && (author || role === 'admin'),
        reason: text(values.reason),
        errors: problems.length
          ? formErrors(problems, { reason: 'Reason' }, { form: 'decision', state: 'decision', version: 'decision' })
          : undefined,
      },
      status,
    );
  }

  /** A step that fails on its input (a stale version, a missing reason, a rule) re-renders the page. */
  private async step(
    req: WebRequest,
    reply: FastifyReply,
    number: string,
    body: Form,
    done: string,
    run: (code: string, n: number, dto: { version?: number; reason?: string }) => Promise<Presented>,
  ) {
    const n = numberOf(number);
    const programme = programmeIn(body?.programme);
    const { prog } = await this.view.programme(programme);
    const version = /^\d{1,9}$/.test(text(body?.version)) ? Number(body.version) : undefined;
    const reason = text(body?.reason).trim() || undefined;
    try {
      const cr = await run(prog.code, n, { version, reason });
      return this.pages.redirect(req, reply, changeUrl(prog.code, cr.number), `Change request ${cr.number} ${done}`);
    } catch (e) {
      // The change's own refusals of this person (separation of duties, not its author) are
      // told on its page, in its words; access rules stay the 403 page.
      const own = e instanceof DomainError && STEP_REFUSALS.has(e.code);
      const ps = own ? [{ field: 'form', problem: capitalised(e.message) }] : problemsOf(e);
      if (!ps) throw e;
      const status = e instanceof DomainError && e.status >= 400 && e.status < 500 ? e.status : 400;
      return this.renderPage(req, reply, prog.code, n, ps, { reason: body?.reason }, status);
    }
  }

  @Post(':number/submit')
  @Roles('programme_manager', 'finance')
  submit(@Req() req: WebRequest, @Res() reply: FastifyReply, @Param('number') number: string, @Body() body: Form) {
    return this.step(req, reply, number, body, 'submitted for approval', (code, n, dto) =>
      this.changes.submit(code, n, { version: dto.version }, req.actor!),
    );
  }

  @Post(':number/approve')
  @Roles('approver')
  approve(@Req() req: WebRequest, @Res() reply: FastifyReply, @Param('number') number: string, @Body() body: Form) {
    return this.step(req, reply, number, body, 'approved', (code, n, dto) =>
      this.changes.approve(code, n, dto, req.actor!),
    );
  }

  @Post(':number/reject')
  @Roles('approver')
  reject(@Req() req: WebRequest, @Res() reply: FastifyReply, @Param('number') number: string, @Body() body: Form) {
    return this.step(req, reply, number, body, 'rejected', async (code, n, dto) => {
      // The API's own rule for a rejection (RejectDto: a reason, always), read from the form.
      const errors = validateSync(plainToInstance(RejectDto, { ...dto, reason: dto.reason ?? '' }));
      if (errors.length)
        throw new ValidationError([
          {
            field: 'reason',
            problem: dto.reason ? 'Reason must be 5,000 characters or fewer' : 'Enter the reason for rejecting',
          },
        ]);
      return this.changes.reject(code, n, { version: dto.version, reason: dto.reason! }, req.actor!);
    });
  }

  @Post(':number/withdraw')
  @Roles('programme_manager', 'finance')
  withdraw(@Req() req: WebRequest, @Res() reply: FastifyReply, @Param('number') number: string, @Body() body: Form) {
    return this.step(req, reply, number, body, 'withdrawn', (code, n, dto) =>
      this.changes.withdraw(code, n, dto, req.actor!),
    );
  }
}
