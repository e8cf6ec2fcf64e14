import { Get, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Roles } from '../../auth/roles.decorator';
import { assertProjectScope } from '../../auth/scope';
import { DomainError } from '../../common/errors';
import { PartnerUpdatesService } from '../../partner-updates/partner-updates.service';
import { MAX_XLSX_BYTES, XlsxRejectedError } from '../../xlsx';
import { FormErrors, problemsOf } from '../forms/errors';
import { Pages, WebRequest } from '../pages.service';
import { StaffPages } from '../staff-pages.decorator';
import { ProgrammeQuery, updateUrl, withProgramme, workbookUrl } from '../quarter/update-url';

/** The file input's name and id: every problem of an upload links to it. */
export const WORKBOOK_FIELD = 'workbook';
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const LIMIT_MB = MAX_XLSX_BYTES / 1024 / 1024;

/** Multipart errors of @fastify/multipart that are the sender's (a file too big, too many parts). */
const isUploadLimit = (e: unknown): e is { statusCode: number; code: string } =>
  typeof (e as { code?: unknown })?.code === 'string' &&
  /^FST_(REQ_FILE_TOO_LARGE|FILES_LIMIT|PARTS_LIMIT|FIELDS_LIMIT|INVALID_MULTIPART_CONTENT_TYPE)$/.test(
    (e as { code: string }).code,
  );

/** Every problem of a refused file in one error summary, each linking to the file input. */
function uploadErrors(problems: string[], summary: string): FormErrors {
  return {
    list: problems.map((text) => ({ text, href: `#${WORKBOOK_FIELD}` })),
    field: { [WORKBOOK_FIELD]: { text: summary } },
  };
}

/**
 * The partner spreadsheet over HTTP: a delivery partner or programme manager downloads the
 * partner update template for one of their projects and the reporting quarter (pre-filled with
 * their update's draft), and uploads it back into that draft (never the figures). The template, the import's rules and its size and type limits are PartnerUpdatesService's
 * (the CLI's `template` and `import`); this only carries the file and shows every problem at once.
 */
@StaffPages('partner-workbook')
export class PartnerWorkbookController {
  constructor(
    private readonly pages: Pages,
    private readonly partnerUpdates: PartnerUpdatesService,
  ) {}

  /** The project and quarter, refused unless the project is the caller's (the figures are theirs to report). */
  private async target(req: WebRequest, programme: string | undefined, projectCode: string) {
    const t = await withProgramme(programme, projectCode, () =>
      this.partnerUpdates.reportingQuarter(programme, projectCode),
    );
    assertProjectScope(req.actor!, t.programme, t.project);
    // Links keep the programme only when the page was reached with one (one programme: unchanged URLs).
    return { ...t, chosen: programme };
  }

  private renderPage(
    req: WebRequest,
    reply: FastifyReply,
    t: Awaited<ReturnType<PartnerWorkbookController['target']>>,
    errors?: FormErrors,
    status = 200,
  ) {
    return this.pages.render(
      req,
      reply,
      'partner-workbook/project.njk',
      {
        pageTitle: `Spreadsheet update: ${t.projectName}, ${t.quarter}`,
        backLink: { href: updateUrl(t.chosen, t.project), text: 'Back to the update' },
        ...t,
        templateUrl: workbookUrl(t.chosen, t.project, 'template'),
        // The CSRF token rides in the query string of a multipart form's action.
        uploadAction: `${workbookUrl(t.chosen, t.project)}${t.chosen ? '&' : '?'}_csrf=`,
        limitMb: LIMIT_MB,
        accept: `.xlsx,${XLSX_TYPE}`,
        field: WORKBOOK_FIELD,
        errors,
      },
      status,
    );
  }

  @Get(':project')
  @Roles('delivery_partner', 'programme_manager')
  async page(
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Param('project') project: string,
    @ProgrammeQuery() programme?: string,
  ) {
    return this.renderPage(req, reply, await this.target(req, programme, project));
  }

  @Get(':project/template')
  @Roles('delivery_partner', 'programme_manager')
  async download(
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Param('project') project: string,
    @ProgrammeQuery() programme?: string,
  ) {
    const t = await this.target(req, programme, project);
    const file = await this.partnerUpdates.template(t.programme, t.project, t.quarter, true);
    return reply
      .header('content-type', XLSX_TYPE)
      .header('content-disposition', `attachment; filename="${file.filename}"`)
      .header('cache-control', 'no-store')
      .send(file.bytes);
  }

  /**
   * The filled-in workbook, as multipart/form-data with its CSRF token in the query string or
   * the x-csrf-token header (checked before a byte of the file is read). All or nothing.
   */
  @Post(':project')
  @Roles('delivery_partner', 'programme_manager')
  async upload(
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Param('project') project: string,
    @ProgrammeQuery() programme?: string,
  ) {
    const t = await this.target(req, programme, project);
    const refuse = (problems: string[], summary: string, status: number) =>
      this.renderPage(req, reply, t, uploadErrors(problems, summary), status);
    const select = 'Select the filled-in spreadsheet (an .xlsx file)';
    if (!req.isMultipart()) return refuse([select], select, 400);
    let name: string;
    let bytes: Buffer;
    try {
      const file = await req.file({ limits: { fileSize: MAX_XLSX_BYTES, files: 1 } });
      if (!file || file.fieldname !== WORKBOOK_FIELD || !file.filename) {
        file?.file.resume();
        return refuse([select], select, 400);
      }
      name = file.filename;
      bytes = await file.toBuffer();
    } catch (e) {
      if (!isUploadLimit(e)) throw e;
      const problem =
        e.code === 'FST_REQ_FILE_TOO_LARGE'
          ? `The selected file must be smaller than ${LIMIT_MB} MB`
          : e.code === 'FST_INVALID_MULTIPART_CONTENT_TYPE'
            ? select
            : 'Upload one file at a time';
      return refuse([problem], problem, e.statusCode);
    }
    if (bytes.length === 0) return refuse([`The selected file is empty`], 'The selected file is empty', 400);
    try {
      // Into the update's draft, never the figures: the person reviews it and submits it as usual.
      const res = await this.partnerUpdates.importToDraft(
        bytes,
        name,
        { programme: t.programme, project: t.project, quarter: t.quarter },
        req.actor!,
      );
      return this.pages.redirect(
        req,
        reply,
        updateUrl(t.chosen, t.project),
        `Imported ${name} into the ${res.quarter} update: ${res.rows} change${res.rows === 1 ? '' : 's'} held in the draft, ${res.unchanged} row${res.unchanged === 1 ? '' : 's'} unchanged. Check the update and submit it for review`,
      );
    } catch (e) {
      if (e instanceof XlsxRejectedError) {
        const head = e.message.split('\n')[0].replace(/:$/, '');
        return e.problems.length ? refuse(e.problems, head, 422) : refuse([head], head, 422);
      }
      if (e instanceof DomainError && e.status >= 400 && e.status < 500 && e.status !== 403) {
        // In words, without the field prefix (an update submitted or accepted is not editable).
        const words = (problemsOf(e) ?? [{ problem: e.message }]).map((p) => p.problem);
        return refuse(words, words[0], e.status);
      }
      throw e;
    }
  }
}
