import { Body, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ANY_ROLE, Roles } from '../../auth/roles.decorator';
import { inProjectScope } from '../../auth/scope';
import { sameActor } from '../../auth/actor';
import { DomainError, FieldProblem } from '../../common/errors';
import { displayPounds } from '../../common/money';
import { QuarterlyUpdatesService } from '../../quarterly-updates/quarterly-updates.service';
import { UpdateDraftsService } from '../../quarterly-updates/update-drafts.service';
import type { CumulativeQuestion, SpendSection } from '../../quarterly-updates/update-model';
import { UpdateReviewService } from '../../quarterly-updates/update-review.service';
import { formErrors, problemsOf } from '../forms/errors';
import { Pages, WebRequest } from '../pages.service';
import { StaffPages } from '../staff-pages.decorator';
import { dateItems } from '../forms/date-input';
import { parseMilestonesForm, storedDate } from './milestones-form';
import { actualField, boxPounds, forecastField, parseSpendForm, readingField } from './spend-form';
import { needsProgramme, ProgrammeQuery, programmeQuery, updateUrl, withProgramme, workbookUrl } from './update-url';

type Form = Record<string, unknown>;
type View = Awaited<ReturnType<QuarterlyUpdatesService['view']>>;
const text = (v: unknown) => (typeof v === 'string' ? v : '');
const versionOf = (body: Form) => {
  const v = Number(body.version);
  return Number.isSafeInteger(v) && v > 0 ? v : undefined;
};

/**
 * The reporting quarter as a task list, and each project's update: delivery partners and
 * programme managers draft and submit it, programme managers accept it or return it with a
 * comment. The rules are QuarterlyUpdatesService's; this only reads forms and renders.
 */
@StaffPages('quarter')
export class QuarterController {
  constructor(
    private readonly pages: Pages,
    private readonly updates: QuarterlyUpdatesService,
    private readonly drafts: UpdateDraftsService,
    private readonly review: UpdateReviewService,
  ) {}

  @Get()
  @Roles(...ANY_ROLE)
  async taskList(@Req() req: WebRequest, @Res() reply: FastifyReply, @ProgrammeQuery() programme?: string) {
    let list: Awaited<ReturnType<QuarterlyUpdatesService['taskList']>>;
    try {
      list = await this.updates.taskList(req.actor!, programme);
    } catch (e) {
      if (!needsProgramme(programme, e)) throw e;
      // Several programmes and none chosen: each has its own reporting quarter and projects.
      return this.pages.render(req, reply, 'quarter/choose-programme.njk', {
        pageTitle: 'Choose a programme',
        programmes: (await this.updates.programmes()).map((p) => ({
          ...p,
          href: `/manage/quarter${programmeQuery(p.code)}`,
        })),
      });
    }
    return this.pages.render(req, reply, 'quarter/task-list.njk', {
      pageTitle: `Quarterly updates for ${list.quarter}`,
      ...list,
      // The rows' links keep the programme the list was chosen with (project codes repeat across programmes).
      programmeQuery: programmeQuery(programme),
    });
  }

  @Get(':project')
  @Roles(...ANY_ROLE)
  async project(
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Param('project') project: string,
    @ProgrammeQuery() programme?: string,
  ) {
    return this.renderProject(req, reply, programme, project);
  }

  /** The update as read, for the programme the page was reached with (or the only one). */
  private view(programme: string | undefined, project: string): Promise<View> {
    return withProgramme(programme, project, () => this.updates.view(programme, project));
  }

  private async renderProject(
    req: WebRequest,
    reply: FastifyReply,
    programme: string | undefined,
    projectCode: string,
    problems: FieldProblem[] = [],
    values: Form = {},
    status = 200,
  ) {
    const v = await this.view(programme, projectCode);
    const actor = req.actor!;
    const mine = inProjectScope(actor, v.programme.code, v.project.code);
    const canEdit = v.editable && mine && ['delivery_partner', 'programme_manager', 'admin'].includes(actor.role);
    const canReviewRole = mine && ['programme_manager', 'admin'].includes(actor.role);
    // The person who submitted it does not review it (separation of duties): the page says so.
    const submittedByMe = v.status !== 'not_started' && sameActor(v.submittedBy, v.submittedByUserId, actor);
    const canReview = v.status === 'submitted' && canReviewRole && !submittedByMe;
    return this.pages.render(
      req,
      reply,
      'quarter/project.njk',
      {
        pageTitle: `${v.project.name}: update for ${v.quarter}`,
        backLink: { href: `/manage/quarter${programmeQuery(programme)}`, text: 'Back to the quarter' },
        ...v,
        url: (part?: string) => updateUrl(programme, v.project.code, part),
        workbookUrl: workbookUrl(programme, v.project.code),
        canEdit,
        canReview,
        canReviewRole,
        submittedByMe,
        values,
        errors: problems.length
          ? // A part still to finish links to its task (Outputs and Risks are the fourth and fifth).
            formErrors(problems, { comment: 'Comment' }, { outputs: 'section-4-status', risks: 'section-5-status' })
          : undefined,
      },
      status,
    );
  }

  @Get(':project/spend')
  @Roles(...ANY_ROLE)
  async spendForm(
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Param('project') project: string,
    @ProgrammeQuery() programme?: string,
  ) {
    const v = await this.view(programme, project);
    return this.renderSpend(req, reply, programme, v, {});
  }

  private renderSpend(
    req: WebRequest,
    reply: FastifyReply,
    programme: string | undefined,
    v: View,
    typed: Record<string, string>,
    problems: FieldProblem[] = [],
    questions: CumulativeQuestion[] = [],
    status = 200,
  ) {
    const sections = v.spend.map((s: SpendSection) => ({
      ...s,
      actualField: actualField(s.sourceKind),
      actualValue: typed[actualField(s.sourceKind)] ?? (s.actualPence === null ? '' : boxPounds(s.actualPence)),
      previousToDate: displayPounds(s.previousToDatePence),
      question: questions.find((q) => q.sourceKind === s.sourceKind),
      readingField: readingField(s.sourceKind),
      forecasts: s.forecasts.map((f) => ({
        ...f,
        field: forecastField(s.sourceKind, f.quarter),
        value: typed[forecastField(s.sourceKind, f.quarter)] ?? boxPounds(f.pence),
        accepted: displayPounds(f.acceptedPence),
      })),
    }));
    const all = [
      ...problems,
      ...questions.map((q) => ({
        field: readingField(q.sourceKind),
        problem: `Check the actual ${q.sourceKind} spend: ${displayPounds(q.asQuarter)} looks like a total to date. Say whether it is the spend in ${v.quarter} or the total so far`,
      })),
    ];
    return this.pages.render(
      req,
      reply,
      'quarter/spend.njk',
      {
        pageTitle: `Spend: ${v.project.name}, ${v.quarter}`,
        backLink: { href: updateUrl(programme, v.project.code), text: 'Back to the update' },
        ...v,
        url: (part?: string) => updateUrl(programme, v.project.code, part),
        sections,
        errors: all.length
          ? formErrors(
              all,
              {},
              Object.fromEntries(
                questions.map((q) => [readingField(q.sourceKind), `${readingField(q.sourceKind)}-quarter`]),
              ),
            )
          : undefined,
      },
      status,
    );
  }

  @Post(':project/spend')
  @Roles('delivery_partner', 'programme_manager')
  async saveSpend(
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Param('project') project: string,
    @ProgrammeQuery() programme: string | undefined,
    @Body() body: Form,
  ) {
    const v = await this.view(programme, project);
    const form = parseSpendForm(body ?? {}, v.spend, v.quarter);
    if (form.problems.length) return this.renderSpend(req, reply, programme, v, form.typed, form.problems, [], 400);
    if (form.normalised.length && body.checked !== '1') {
      // Amounts typed with £ signs, commas or missing pence: shown back as read before saving.
      const hidden = Object.entries(form.typed).map(([name]) => ({ name, value: canonicalOf(form, name) }));
      for (const k of [...form.input.readAsCumulative]) hidden.push({ name: readingField(k), value: 'cumulative' });
      for (const k of [...form.input.readAsQuarter]) hidden.push({ name: readingField(k), value: 'quarter' });
      return this.pages.render(req, reply, 'quarter/spend-check.njk', {
        pageTitle: `Check the amounts: ${v.project.name}`,
        backLink: { href: updateUrl(programme, v.project.code, 'spend'), text: 'Back to the spend form' },
        ...v,
        url: (part?: string) => updateUrl(programme, v.project.code, part),
        normalised: form.normalised,
        hidden,
        version: form.input.version ?? v.version,
      });
    }
    try {
      const r = await this.drafts.saveSpend(programme, project, form.input, req.actor!);
      if (!r.saved) return this.renderSpend(req, reply, programme, v, form.typed, [], r.questions, 400);
    } catch (e) {
      const ps = problemsOf(e);
      if (!ps) throw e;
      return this.renderSpend(req, reply, programme, await this.view(programme, project), form.typed, ps, [], 400);
    }
    return this.pages.redirect(req, reply, updateUrl(programme, v.project.code), 'Spend figures saved as a draft');
  }

  @Get(':project/milestones')
  @Roles(...ANY_ROLE)
  async milestonesForm(
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Param('project') project: string,
    @ProgrammeQuery() programme?: string,
  ) {
    const v = await this.view(programme, project);
    return this.renderMilestones(req, reply, programme, v, undefined);
  }

  private renderMilestones(
    req: WebRequest,
    reply: FastifyReply,
    programme: string | undefined,
    v: View,
    parsed: ReturnType<typeof parseMilestonesForm> | undefined,
    body: Form = {},
    problems: FieldProblem[] = [],
    status = 200,
  ) {
    const rows = v.milestones.map((r) => {
      const f = `m-${r.id}-forecast`;
      const a = `m-${r.id}-actual`;
      return {
        ...r,
        forecastField: f,
        actualField: a,
        forecastItems: dateItems(parsed?.dates[f] ?? storedDate(r.forecastDate), f),
        actualItems: dateItems(parsed?.dates[a] ?? storedDate(r.actualDate), a),
        statusValue: parsed ? (body[`m-${r.id}-status`] === 'complete' ? 'complete' : 'open') : r.status,
        notesValue: parsed ? text(body[`m-${r.id}-notes`]) : (r.notes ?? ''),
      };
    });
    const all = [...(parsed?.problems ?? []), ...problems];
    return this.pages.render(
      req,
      reply,
      'quarter/milestones.njk',
      {
        pageTitle: `Milestones: ${v.project.name}, ${v.quarter}`,
        backLink: { href: updateUrl(programme, v.project.code), text: 'Back to the update' },
        ...v,
        url: (part?: string) => updateUrl(programme, v.project.code, part),
        rows,
        // A date's problem links to its first box (the service's as well as the form's own).
        errors: all.length
          ? formErrors(
              all,
              {},
              {
                ...Object.fromEntries(
                  all.map((p) => [p.field, /^m-\d+-(forecast|actual)$/.test(p.field) ? `${p.field}-day` : p.field]),
                ),
                ...(parsed?.ids ?? {}),
              },
            )
          : undefined,
      },
      status,
    );
  }

  @Post(':project/milestones')
  @Roles('delivery_partner', 'programme_manager')
  async saveMilestones(
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Param('project') project: string,
    @ProgrammeQuery() programme: string | undefined,
    @Body() body: Form,
  ) {
    const v = await this.view(programme, project);
    const parsed = parseMilestonesForm(body ?? {}, v.milestones, v.quarterEnd);
    if (parsed.problems.length) return this.renderMilestones(req, reply, programme, v, parsed, body, [], 400);
    try {
      await this.drafts.saveMilestones(programme, project, parsed.proposals, versionOf(body ?? {}), req.actor!);
    } catch (e) {
      const ps = problemsOf(e);
      if (!ps) throw e;
      return this.renderMilestones(req, reply, programme, v, parsed, body, ps, 400);
    }
    return this.pages.redirect(req, reply, updateUrl(programme, v.project.code), 'Milestones saved as a draft');
  }

  @Get(':project/narrative')
  @Roles(...ANY_ROLE)
  async narrativeForm(
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Param('project') project: string,
    @ProgrammeQuery() programme?: string,
  ) {
    const v = await this.view(programme, project);
    return this.pages.render(req, reply, 'quarter/narrative.njk', {
      pageTitle: `Narrative: ${v.project.name}, ${v.quarter}`,
      backLink: { href: updateUrl(programme, v.project.code), text: 'Back to the update' },
      ...v,
      url: (part?: string) => updateUrl(programme, v.project.code, part),
    });
  }

  @Post(':project/narrative')
  @Roles('delivery_partner', 'programme_manager')
  async saveNarrative(
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Param('project') project: string,
    @ProgrammeQuery() programme: string | undefined,
    @Body() body: Form,
  ) {
    try {
      await this.drafts.saveNarrative(programme, project, text(body?.narrative), versionOf(body ?? {}), req.actor!);
    } catch (e) {
      const ps = problemsOf(e);
      if (!ps) throw e;
      const v = await this.view(programme, project);
      return this.pages.render(
        req,
        reply,
        'quarter/narrative.njk',
        {
          pageTitle: `Narrative: ${v.project.name}, ${v.quarter}`,
          ...v,
          url: (part?: string) => updateUrl(programme, v.project.code, part),
          narrative: text(body?.narrative),
          errors: formErrors(ps),
        },
        400,
      );
    }
    return this.pages.redirect(req, reply, updateUrl(programme, project), 'Narrative saved as a draft');
  }

  @Post(':project/submit')
  @Roles('delivery_partner', 'programme_manager')
  submit(
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Param('project') project: string,
    @ProgrammeQuery() programme: string | undefined,
    @Body() body: Form,
  ) {
    return this.act(req, reply, programme, project, body, 'Update submitted for review', () =>
      this.review.submit(programme, project, versionOf(body ?? {}), req.actor!),
    );
  }

  @Post(':project/accept')
  @Roles('programme_manager')
  async accept(
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Param('project') project: string,
    @ProgrammeQuery() programme: string | undefined,
    @Body() body: Form,
  ) {
    let held = false;
    return this.act(
      req,
      reply,
      programme,
      project,
      body,
      () =>
        held
          ? 'Update accepted: its forecasts, milestones and outputs are now the latest; its actual spend awaits finance confirmation'
          : 'Update accepted: its figures are now the latest',
      async () => {
        held =
          (await this.review.accept(programme, project, versionOf(body ?? {}), req.actor!)).spendState === 'awaiting';
      },
    );
  }

  @Post(':project/return')
  @Roles('programme_manager')
  returnIt(
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Param('project') project: string,
    @ProgrammeQuery() programme: string | undefined,
    @Body() body: Form,
  ) {
    return this.act(req, reply, programme, project, body, 'Update returned for revision', () =>
      this.review.returnForRevision(programme, project, text(body?.comment), versionOf(body ?? {}), req.actor!),
    );
  }

  private async act(
    req: WebRequest,
    reply: FastifyReply,
    programme: string | undefined,
    project: string,
    body: Form,
    done: string | (() => string),
    run: () => Promise<unknown>,
  ) {
    try {
      await run();
    } catch (e) {
      // Separation of duties is a refusal in words on the update's own page, not a bare 403 page.
      if (e instanceof DomainError && e.code === 'SEPARATION_OF_DUTIES')
        return this.renderProject(req, reply, programme, project, [{ field: 'form', problem: e.message }], {}, 403);
      const ps = problemsOf(e);
      if (!ps) throw e;
      return this.renderProject(req, reply, programme, project, ps, { comment: text(body?.comment) }, 400);
    }
    return this.pages.redirect(req, reply, updateUrl(programme, project), typeof done === 'string' ? done : done());
  }
}

/** The canonical pounds of a box the form read ("£1,234.5" → "1234.50"), or what was typed. */
function canonicalOf(form: ReturnType<typeof parseSpendForm>, field: string): string {
  const n = form.normalised.find((x) => x.field === field);
  const raw = n ? n.shown : form.typed[field];
  return raw.replace(/[£,\s]/g, '');
}
