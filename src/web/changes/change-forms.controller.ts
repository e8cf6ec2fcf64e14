import { Body, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { ProjectNotAssignedError } from '../../auth/access-errors';
import { sameActor } from '../../auth/actor';
import { ProjectFieldCheckedByForm } from '../../auth/form-scope.decorator';
import { Roles } from '../../auth/roles.decorator';
import { NotAuthorError } from '../../changes/change-access';
import { ChangeRequestsService } from '../../changes/change-requests.service';
import { CreateChangeRequestDto } from '../../changes/dto/change-request.dto';
import { ChangeProblem } from '../../changes/kinds/kind';
import { DomainError, FieldProblem, NotFoundError, ValidationError } from '../../common/errors';
import { Programme } from '../../programmes/programme.entity';
import { dateBoxes, dateItems, parseDateInput } from '../forms/date-input';
import { classValidatorProblems, formErrors, problemsOf } from '../forms/errors';
import { Pages, WebRequest } from '../pages.service';
import { StaffPages } from '../staff-pages.decorator';
import { DENIAL_HEADER } from '../web-exception.filter';
import { ChangePagesService } from './change-pages.service';
import { problemInWords } from './problem-words';
import { changeUrl, numberOf } from './changes.controller';
import {
  boxLabels,
  fieldFor,
  FieldSpec,
  Form,
  FormReader,
  formHoldsAll,
  formValues,
  KIND_FORMS,
  kindForm,
  KindForm,
  rowField,
} from './kind-forms';

const text = (v: unknown) => (typeof v === 'string' ? v : '');
const programmeIn = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
const COMMON = { title: 'Title', reason: 'Reason for the change', evidence: 'Evidence' };

/**
 * "Create a change request": choose the kind, then that kind's form (kind-forms.ts), drafted
 * through ChangeRequestsService.create exactly as the API drafts it. The payload's problems come
 * back from the kind's own validation and are shown against the box that caused them.
 */
@StaffPages('change-requests')
export class ChangeFormsController {
  constructor(
    private readonly pages: Pages,
    private readonly changes: ChangeRequestsService,
    private readonly view: ChangePagesService,
  ) {}

  @Get('new')
  @Roles('programme_manager', 'finance')
  async form(
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Query('programme') programme?: string,
    @Query('kind') kind?: string,
  ) {
    const { prog } = await this.view.programme(programmeIn(programme));
    const form = kind ? kindForm(kind) : undefined;
    if (kind && !form)
      return this.renderChooser(
        req,
        reply,
        prog,
        [{ field: 'kind', problem: 'Choose a kind of change from the list' }],
        400,
      );
    if (!form) return this.renderChooser(req, reply, prog);
    return this.renderForm(req, reply, prog, form, {});
  }

  private renderChooser(
    req: WebRequest,
    reply: FastifyReply,
    prog: Programme,
    problems: FieldProblem[] = [],
    status = 200,
  ) {
    const labels = new Map(this.changes.kinds().map((k) => [k.kind, k.label]));
    return this.pages.render(
      req,
      reply,
      'changes/kinds.njk',
      {
        pageTitle: 'Create a change request',
        backLink: {
          href: `/manage/change-requests?programme=${encodeURIComponent(prog.code)}`,
          text: 'Back to change requests',
        },
        programme: { code: prog.code, name: prog.name },
        // Every kind the installation knows that has a form, in the forms' order; put_on_hold is
        // hold_project's older name (same label, same change), reachable but listed once.
        kinds: KIND_FORMS.filter((k) => labels.has(k.kind) && k.kind !== 'put_on_hold').map((k) => ({
          value: k.kind,
          text: labels.get(k.kind)!,
        })),
        errors: problems.length ? formErrors(problems, {}, { kind: 'kind' }) : undefined,
      },
      status,
    );
  }

  private async renderForm(
    req: WebRequest,
    reply: FastifyReply,
    prog: Programme,
    form: KindForm,
    values: Form,
    problems: FieldProblem[] = [],
    status = 200,
    edit?: { number: number; version: number },
  ) {
    const options = await this.view.options(prog, req.actor);
    const label = this.changes.kinds().find((k) => k.kind === form.kind)?.label ?? form.kind;
    const box = (f: FieldSpec, name: string, legend?: string) => ({
      ...f,
      name,
      label: legend ? `${f.label} (${legend})` : f.label,
      value: text(values[name]),
      items: (f.options ? options[f.options] : []).map((o) => ({
        ...o,
        selected: o.value === values[name],
        checked: o.value === values[name],
      })),
      dateItems: f.type === 'date' ? dateItems(parseDateInput(dateBoxes(values, name), f.label), name) : undefined,
    });
    const rows = form.rows
      ? Array.from({ length: form.rows.count }, (_, i) => ({
          n: i + 1,
          fields: form.rows!.fields.map((f) => box(f, rowField(form.rows!.name, i, f.name), `line ${i + 1}`)),
        }))
      : [];
    const ids: Record<string, string> = {};
    for (const p of problems) {
      const spec = [...form.fields, ...(form.rows?.fields ?? [])].find(
        (f) => p.field === f.name || p.field.endsWith(`-${f.name}`),
      );
      if (spec?.type === 'date') ids[p.field] = `${p.field}-day`;
      if (spec?.type === 'radios') ids[p.field] = `${p.field}`;
    }
    return this.pages.render(
      req,
      reply,
      'changes/form.njk',
      {
        pageTitle: edit ? `Edit change request ${edit.number}: ${label}` : `Create a change request: ${label}`,
        backLink: edit
          ? { href: changeUrl(prog.code, edit.number), text: `Back to change request ${edit.number}` }
          : {
              href: `/manage/change-requests/new?programme=${encodeURIComponent(prog.code)}`,
              text: 'Choose another kind of change',
            },
        caption: edit ? `Edit change request ${edit.number}` : 'Create a change request',
        action: edit ? `/manage/change-requests/${edit.number}/edit` : '/manage/change-requests/new',
        version: edit?.version,
        button: edit ? 'Save changes' : 'Create a change request',
        programme: { code: prog.code, name: prog.name },
        kind: form.kind,
        kindLabel: label,
        intro: form.intro,
        fields: form.fields.map((f) => box(f, f.name)),
        group: form.rows ? { legend: form.rows.legend, hint: form.rows.hint, rows } : undefined,
        title: text(values.title),
        reason: text(values.reason),
        evidence: text(values.evidence),
        errors: problems.length ? formErrors(problems, COMMON, { form: 'change-form', ...ids }) : undefined,
      },
      status,
    );
  }

  /** The kind's boxes read, with the request's own words checked by the API's rules (CreateChangeRequestDto). */
  private readDraft(form: KindForm, values: Form) {
    const built = form.build(new FormReader(values));
    const dto = {
      kind: form.kind,
      title: text(values.title).trim(),
      reason: text(values.reason).trim(),
      ...(text(values.evidence).trim() ? { evidence: text(values.evidence).trim() } : {}),
      payload: built.payload ?? {},
    };
    const common = classValidatorProblems(validateSync(plainToInstance(CreateChangeRequestDto, dto)))
      .filter((p) => p.field in COMMON)
      .map((p) => ({
        field: p.field,
        problem: dto[p.field as keyof typeof COMMON]
          ? `${COMMON[p.field as keyof typeof COMMON]} is too long`
          : `Enter the ${p.field === 'reason' ? 'reason for the change' : p.field}`,
      }));
    return { built, dto, problems: [...built.problems, ...common] };
  }

  /**
   * A project box naming a project the user may not raise changes for: its problems, each on its
   * box (a programme manager's projects; the change service checks the payload's scope again).
   */
  private async foreignProjects(req: WebRequest, prog: Programme, form: KindForm | undefined, values: Form) {
    const boxes = form ? projectBoxes(form) : ['project'];
    const labels = form ? boxLabels(form) : new Map([['project', 'Project']]);
    return (
      await this.view.outOfScope(
        prog,
        req.actor!,
        boxes.map((b) => [b, text(values[b]).trim()]),
      )
    ).map((p) => ({ field: p.field, problem: `${labels.get(p.field) ?? 'Project'}: ${p.problem}` }));
  }

  @Post('new')
  @Roles('programme_manager', 'finance')
  @ProjectFieldCheckedByForm()
  async create(@Req() req: WebRequest, @Res() reply: FastifyReply, @Body() body: Form) {
    const values = body && typeof body === 'object' ? body : {};
    const { prog } = await this.view.programme(programmeIn(values.programme));
    const form = kindForm(text(values.kind));
    // Outside the user's projects: the form again, the box named (403, as the guard would answer).
    const foreign = await this.foreignProjects(req, prog, form, values);
    if (foreign.length) {
      reply.header(DENIAL_HEADER, 'PROJECT_NOT_ASSIGNED');
      return form
        ? this.renderForm(req, reply, prog, form, values, foreign, 403)
        : this.renderChooser(req, reply, prog, foreign, 403);
    }
    if (!form)
      return this.renderChooser(
        req,
        reply,
        prog,
        [{ field: 'kind', problem: 'Choose a kind of change from the list' }],
        400,
      );
    return this.saveDraft(req, reply, prog, form, values, undefined, async (dto) => {
      const cr = await this.changes.create(prog.code, dto, req.actor!);
      return { number: cr.number, said: 'drafted' };
    });
  }

  /**
   * A draft, for its author (or an admin) to change before submitting it: the kind's form filled
   * in from the payload (formValues), its title, reason and evidence. Anything else is told.
   */
  private async editable(req: WebRequest, programme: string | undefined, number: string) {
    const n = numberOf(number);
    const { prog } = await this.view.programme(programme);
    const cr = await this.changes.get(prog.code, n);
    const actor = req.actor!;
    if (cr.state !== 'draft') throw new NotEditableError(n, cr.state);
    if (actor.role !== 'admin' && !sameActor(cr.createdBy, null, actor)) throw new NotAuthorError(n, 'edited');
    const form = kindForm(cr.kind);
    if (!form) throw new NotEditableError(n, cr.state, cr.kind);
    // A draft made through the API may hold more than the form has boxes for: saving the form would drop it.
    if (!formHoldsAll(cr.kind, cr.payload as Record<string, unknown>))
      throw new NotEditableError(n, cr.state, cr.kind, 'too much');
    return { prog, cr, form };
  }

  @Get(':number/edit')
  @Roles('programme_manager', 'finance')
  async editForm(
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Param('number') number: string,
    @Query('programme') programme?: string,
  ) {
    const { prog, cr, form } = await this.editable(req, programmeIn(programme), number);
    const values: Form = {
      ...formValues(cr.kind, cr.payload as Record<string, unknown>),
      title: cr.title,
      reason: cr.reason,
      evidence: cr.evidence ?? '',
    };
    return this.renderForm(req, reply, prog, form, values, [], 200, { number: cr.number, version: cr.version });
  }

  @Post(':number/edit')
  @Roles('programme_manager', 'finance')
  @ProjectFieldCheckedByForm()
  async edit(@Req() req: WebRequest, @Res() reply: FastifyReply, @Param('number') number: string, @Body() body: Form) {
    const values = body && typeof body === 'object' ? body : {};
    const programme = programmeIn(values.programme);
    const { prog } = await this.view.programme(programme);
    // A project outside the user's scope is refused before anything about the request is told.
    let known: Awaited<ReturnType<ChangeRequestsService['get']>> | undefined;
    try {
      known = await this.changes.get(prog.code, numberOf(number));
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
    }
    const foreign = await this.foreignProjects(req, prog, known && kindForm(known.kind), values);
    if (foreign.length && !known) throw new ProjectNotAssignedError(text(values.project), 'project');
    const { cr, form } = await this.editable(req, prog.code, number);
    const version = /^\d{1,9}$/.test(text(values.version)) ? Number(values.version) : 0;
    const edit = { number: cr.number, version };
    if (foreign.length) {
      reply.header(DENIAL_HEADER, 'PROJECT_NOT_ASSIGNED');
      return this.renderForm(req, reply, prog, form, values, foreign, 403, edit);
    }
    // The API's draft update (PATCH .../change-requests/:number): the same checks, audit and version.
    return this.saveDraft(req, reply, prog, form, values, edit, async (dto) => {
      const saved = await this.changes.update(
        prog.code,
        cr.number,
        {
          version,
          title: dto.title,
          reason: dto.reason,
          ...(dto.evidence !== undefined || cr.evidence ? { evidence: dto.evidence ?? '' } : {}),
          payload: dto.payload,
        },
        req.actor!,
      );
      return { number: saved.number, said: 'saved' };
    });
  }

  /**
   * Reads a kind's form into a draft and saves it (`save`: create, or the draft update): the
   * form again with its problems, each on its box, or on to the request's page.
   */
  private async saveDraft(
    req: WebRequest,
    reply: FastifyReply,
    prog: Programme,
    form: KindForm,
    values: Form,
    edit: { number: number; version: number } | undefined,
    save: (dto: ReturnType<ChangeFormsController['readDraft']>['dto']) => Promise<{ number: number; said: string }>,
  ) {
    const { built, dto, problems } = this.readDraft(form, values);
    if (problems.length) return this.renderForm(req, reply, prog, form, values, problems, 400, edit);
    try {
      const { number, said } = await save(dto);
      return this.pages.redirect(
        req,
        reply,
        changeUrl(prog.code, number),
        `Change request ${number} ${said}: check the before and after, then submit it for approval`,
      );
    } catch (e) {
      const ps = payloadProblems(e, built.fields, boxLabels(form));
      if (!ps) throw e;
      const status = e instanceof DomainError && e.status >= 400 && e.status < 500 ? e.status : 400;
      return this.renderForm(req, reply, prog, form, values, ps, status, edit);
    }
  }
}

/** Only a draft is edited in its form (and only a kind that has one, holding nothing the form cannot show). */
class NotEditableError extends DomainError {
  constructor(n: number, state: string, kind?: string, why: 'no form' | 'too much' = 'no form') {
    super(
      'NOT_EDITABLE',
      !kind
        ? `Change request ${n} is ${state}: only a draft can be edited`
        : why === 'no form'
          ? `Change request ${n} is a kind (${kind}) with no form here: change it through the API`
          : `Change request ${n} holds more than its form can show (more lines than the form has, or details it has no box for): change it through the API, so nothing in it is lost`,
      409,
      { field: 'number' },
    );
  }
}

/** The boxes of a kind's form that name a project (its rows' too). */
function projectBoxes(form: KindForm): string[] {
  const names = (f: FieldSpec) => f.options === 'projects' || f.options === 'targetHolders';
  return [
    ...form.fields.filter(names).map((f) => f.name),
    ...(form.rows?.fields.filter(names) ?? []).flatMap((f) =>
      Array.from({ length: form.rows!.count }, (_, i) => rowField(form.rows!.name, i, f.name)),
    ),
  ];
}

/** A refusal's problems, each moved from its payload field to the box that holds it. */
function payloadProblems(
  e: unknown,
  fields: Map<string, string>,
  labels: Map<string, string>,
): FieldProblem[] | undefined {
  const listed =
    e instanceof ValidationError
      ? e.problems
      : e instanceof DomainError && Array.isArray(e.details?.problems)
        ? (e.details.problems as ChangeProblem[])
        : undefined;
  const ps = listed ?? problemsOf(e);
  if (!ps) return undefined;
  return ps.map((p) => {
    const field = p.field.startsWith('payload') ? fieldFor(fields, p.field, 'form') : p.field;
    const label = labels.get(field);
    // The kind's words for JSON callers ("-20000.00") put in pounds and plain words.
    const words = problemInWords(p);
    return {
      field,
      problem: label ? `${label}: ${words}` : words.charAt(0).toUpperCase() + words.slice(1),
    };
  });
}
