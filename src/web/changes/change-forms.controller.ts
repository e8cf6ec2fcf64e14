import { Body, Get, Post, Query, Req, Res } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { ProjectFieldCheckedByForm } from '../../auth/form-scope.decorator';
import { Roles } from '../../auth/roles.decorator';
import { ChangeRequestsService } from '../../changes/change-requests.service';
import { CreateChangeRequestDto } from '../../changes/dto/change-request.dto';
import { ChangeProblem } from '../../changes/kinds/kind';
import { DomainError, FieldProblem, ValidationError } from '../../common/errors';
import { Programme } from '../../programmes/programme.entity';
import { dateBoxes, dateItems, parseDateInput } from '../forms/date-input';
import { classValidatorProblems, formErrors, problemsOf } from '../forms/errors';
import { Pages, WebRequest } from '../pages.service';
import { StaffPages } from '../staff-pages.decorator';
import { DENIAL_HEADER } from '../web-exception.filter';
import { ChangePagesService } from './change-pages.service';
import { problemInWords } from './problem-words';
import { changeUrl } from './changes.controller';
import {
  boxLabels,
  fieldFor,
  FieldSpec,
  Form,
  FormReader,
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
@StaffPages('change-requests/new')
export class ChangeFormsController {
  constructor(
    private readonly pages: Pages,
    private readonly changes: ChangeRequestsService,
    private readonly view: ChangePagesService,
  ) {}

  @Get()
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
        pageTitle: `Create a change request: ${label}`,
        backLink: {
          href: `/manage/change-requests/new?programme=${encodeURIComponent(prog.code)}`,
          text: 'Choose another kind of change',
        },
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

  @Post()
  @Roles('programme_manager', 'finance')
  @ProjectFieldCheckedByForm()
  async create(@Req() req: WebRequest, @Res() reply: FastifyReply, @Body() body: Form) {
    const values = body && typeof body === 'object' ? body : {};
    const { prog } = await this.view.programme(programmeIn(values.programme));
    const form = kindForm(text(values.kind));
    // A project the user may not raise changes for: the form again, the box named (403, as the
    // guard would answer; the change service checks the payload's scope again).
    const boxes = form ? projectBoxes(form) : ['project'];
    const labels = form ? boxLabels(form) : new Map([['project', 'Project']]);
    const foreign = (
      await this.view.outOfScope(
        prog,
        req.actor!,
        boxes.map((b) => [b, text(values[b]).trim()]),
      )
    ).map((p) => ({ field: p.field, problem: `${labels.get(p.field) ?? 'Project'}: ${p.problem}` }));
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
    const built = form.build(new FormReader(values));
    const dto = {
      kind: form.kind,
      title: text(values.title).trim(),
      reason: text(values.reason).trim(),
      ...(text(values.evidence).trim() ? { evidence: text(values.evidence).trim() } : {}),
      payload: built.payload ?? {},
    };
    // The API's own rules for the request's words (CreateChangeRequestDto), in the form's words.
    const common = classValidatorProblems(validateSync(plainToInstance(CreateChangeRequestDto, dto)))
      .filter((p) => p.field in COMMON)
      .map((p) => ({
        field: p.field,
        problem: dto[p.field as keyof typeof COMMON]
          ? `${COMMON[p.field as keyof typeof COMMON]} is too long`
          : `Enter the ${p.field === 'reason' ? 'reason for the change' : p.field}`,
      }));
    const problems = [...built.problems, ...common];
    if (problems.length) return this.renderForm(req, reply, prog, form, values, problems, 400);
    try {
      const cr = await this.changes.create(prog.code, dto, req.actor!);
      return this.pages.redirect(
        req,
        reply,
        changeUrl(prog.code, cr.number),
        `Change request ${cr.number} drafted: check the before and after, then submit it for approval`,
      );
    } catch (e) {
      const ps = payloadProblems(e, built.fields, boxLabels(form));
      if (!ps) throw e;
      const status = e instanceof DomainError && e.status >= 400 && e.status < 500 ? e.status : 400;
      return this.renderForm(req, reply, prog, form, values, ps, status);
    }
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
