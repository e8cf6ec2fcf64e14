import { Body, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ANY_ROLE, Roles } from '../../auth/roles.decorator';
import { DomainError, FieldProblem } from '../../common/errors';
import { quarterUrl } from '../../common/fiscal';
import { XLSX_TYPE } from '../../common/content-negotiation';
import { ReturnsService } from '../../returns/returns.service';
import { formErrors, problemsOf } from '../forms/errors';
import { Pages, WebRequest } from '../pages.service';
import { StaffPages } from '../staff-pages.decorator';
import { sheetTables } from './sheet-tables';

type Form = Record<string, unknown>;
const text = (v: unknown) => (typeof v === 'string' ? v : '');
const positive = (v: unknown) => {
  const n = typeof v === 'string' && /^\d{1,9}$/.test(v) ? Number(v) : NaN;
  return n > 0 ? n : undefined;
};
/** The programme named by the page's query or form, or none (the only programme). */
const programmeIn = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
const pageOf = (quarter: string, programme: string) =>
  `/manage/returns/${quarterUrl(quarter)}?programme=${encodeURIComponent(programme)}`;
/** The comment box of a warning (ids must be unique on the page). */
const commentId = (code: string) => `comment-${code}`;

/**
 * Closing the quarter (finance): the returns due, and for a quarter its live return (checks
 * with a comment form per warning, every sheet as a table), submission and every submitted
 * version's frozen xlsx. The rules are ReturnsService's (the API's own); this reads forms.
 */
@StaffPages('returns')
export class ReturnsPagesController {
  constructor(
    private readonly pages: Pages,
    private readonly returns: ReturnsService,
  ) {}

  @Get()
  @Roles(...ANY_ROLE)
  async overview(@Req() req: WebRequest, @Res() reply: FastifyReply) {
    const due = await this.returns.dueReturns();
    return this.pages.render(req, reply, 'returns/overview.njk', {
      pageTitle: 'Quarterly returns',
      due: due.map((d) => ({ ...d, href: pageOf(d.quarter, d.programme) })),
    });
  }

  @Get(':quarter')
  @Roles(...ANY_ROLE)
  quarter(
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Param('quarter') quarter: string,
    @Query('programme') programme?: string,
  ) {
    return this.renderQuarter(req, reply, programmeIn(programme), quarter);
  }

  private async renderQuarter(
    req: WebRequest,
    reply: FastifyReply,
    programme: string | undefined,
    quarter: string,
    problems: FieldProblem[] = [],
    ids: Record<string, string> = {},
    values: Form = {},
    status = 200,
  ) {
    const v = await this.returns.closing(programme, quarter, req.actor!);
    // Finance closes the quarter (an admin passes every role check, as in the API).
    const canSubmit = ['finance', 'admin'].includes(req.actor!.role);
    const missing = new Set(problems.flatMap((p) => (p.field.startsWith('comment-') ? [p.field.slice(8)] : [])));
    const checks = v.checks.map((c) => ({
      ...c,
      field: commentId(c.code),
      // A comment typed and refused is shown back; otherwise the one written.
      value: values.check === c.code ? text(values.comment) : (c.comment ?? ''),
      missing: missing.has(c.code),
    }));
    const latest = v.versions.at(-1);
    return this.pages.render(
      req,
      reply,
      'returns/quarter.njk',
      {
        pageTitle: `Return for ${v.quarter}`,
        backLink: { href: '/manage/returns', text: 'Back to quarterly returns' },
        ...v,
        page: pageOf(v.quarter, v.programme.code),
        base: `/manage/returns/${quarterUrl(v.quarter)}`,
        latest,
        errorsList: checks.filter((c) => c.severity === 'error'),
        warnings: checks.filter((c) => c.severity === 'warning'),
        notes: checks.filter((c) => c.severity === 'note'),
        sheets: sheetTables(v.return),
        canSubmit,
        reason: text(values.reason),
        errors: problems.length ? formErrors(problems, { reason: 'Reason' }, ids) : undefined,
      },
      status,
    );
  }

  @Post(':quarter/comments')
  @Roles('finance')
  async comment(
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Param('quarter') quarter: string,
    @Body() body: Form,
  ) {
    const programme = programmeIn(body?.programme);
    const check = text(body?.check);
    try {
      const saved = await this.returns.writeComment(programme, quarter, check, text(body?.comment), req.actor!);
      const to = await this.returns.closing(programme, quarter, req.actor!);
      return this.pages.redirect(
        req,
        reply,
        `${pageOf(to.quarter, to.programme.code)}#${commentId(saved.check)}`,
        `Comment on ${saved.check} saved`,
      );
    } catch (e) {
      const ps = problemsOf(e);
      if (!ps) throw e;
      // The problem belongs to this warning's box (its id is unique on the page).
      const field = commentId(check);
      const mine = ps.map((p) => ({
        field: p.field === 'comment' || p.field === 'check' ? field : p.field,
        problem: p.problem,
      }));
      return this.renderQuarter(
        req,
        reply,
        programme,
        quarter,
        mine,
        {},
        { check, comment: body?.comment },
        statusOf(e),
      );
    }
  }

  @Post(':quarter/submit')
  @Roles('finance')
  async submit(
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Param('quarter') quarter: string,
    @Body() body: Form,
  ) {
    const programme = programmeIn(body?.programme);
    const version = positive(body?.version);
    const values = { reason: body?.reason };
    if (version === undefined)
      return this.renderQuarter(
        req,
        reply,
        programme,
        quarter,
        [{ field: 'version', problem: 'Submit the return from its page: the version to submit is missing' }],
        { version: 'submit' },
        values,
        400,
      );
    try {
      const r = await this.returns.submitWritten(
        programme,
        quarter,
        { reason: text(body?.reason), version },
        req.actor!,
      );
      return this.pages.redirect(
        req,
        reply,
        pageOf(r.quarter, r.programme),
        `Version ${r.version} of the ${r.quarter} return submitted. The reporting quarter is now ${r.reportingQuarter}`,
      );
    } catch (e) {
      const ps = problemsOf(e);
      if (!ps) throw e;
      const checks = e instanceof DomainError && Array.isArray(e.details?.checks) ? (e.details.checks as string[]) : [];
      const code = e instanceof DomainError ? e.code : undefined;
      const ids: Record<string, string> = { form: 'errors', version: 'submit', reason: 'reason' };
      const extra: FieldProblem[] = [];
      if (code === 'WARNINGS_NEED_COMMENTS') {
        ids.comments = commentId(checks[0]);
        for (const c of checks)
          extra.push({ field: commentId(c), problem: `Write a comment on ${c} before submitting` });
      }
      return this.renderQuarter(req, reply, programme, quarter, [...ps, ...extra], ids, values, statusOf(e));
    }
  }

  @Get(':quarter/versions/:version')
  @Roles(...ANY_ROLE)
  async download(
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Param('quarter') quarter: string,
    @Param('version') version: string,
    @Query('programme') programme?: string,
  ) {
    const n = positive(version.replace(/\.xlsx$/, ''));
    const e = await this.returns.version(programmeIn(programme), quarter, n ?? 0, 'xlsx');
    return reply
      .header('content-type', XLSX_TYPE)
      .header('content-disposition', `attachment; filename="${e.filename}"`)
      .header('x-content-sha256', e.contentHash)
      .header('cache-control', 'no-store')
      .send(e.bytes);
  }
}

/** A refusal's own status (422 for a rule, 400 for a form problem), as the API answers it. */
function statusOf(e: unknown): number {
  return e instanceof DomainError && e.status >= 400 && e.status < 500 ? e.status : 400;
}
