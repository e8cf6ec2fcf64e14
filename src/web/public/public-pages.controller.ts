import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../../auth/public.decorator';
import { ValidationError } from '../../common/errors';
import { parsePoundsExact } from '../../common/money';
import { DashboardService } from '../../dashboard/dashboard.service';
import { ChangesSinceService, changesSinceView } from '../../dashboard/delivery/changes-since';
import { SubmittedReturnsService } from '../../dashboard/delivery/returns-list';
import { GLOSSARY } from '../../dashboard/views/glossary.view';
import { BriefingPdfService, briefingHtml, notModified, PrinterUnavailableError } from './briefing-pdf.service';
import { PAGE_LIST_LIMIT, programmePageView } from './programme.page';
import { projectPageView } from './project.page';
import { HTML, sendPublicPage } from './render';

/**
 * The public dashboard's HTML pages: no sign-in, no session, no scripts. The dashboard's services
 * shape the figures; the templates under views/public/ lay them out in the public layout.
 */
@ApiExcludeController()
@Controller()
export class PublicPagesController {
  constructor(
    private readonly dashboard: DashboardService,
    private readonly submittedReturns: SubmittedReturnsService,
    private readonly changesSince: ChangesSinceService,
    private readonly briefingPdfs: BriefingPdfService,
  ) {}

  @Get()
  @Public()
  async list(@Res() reply: FastifyReply) {
    return sendPublicPage(reply, 'home.njk', { programmes: await this.dashboard.programmes() });
  }

  @Get('glossary')
  @Public()
  glossary(@Res() reply: FastifyReply) {
    return sendPublicPage(reply, 'glossary.njk', { terms: GLOSSARY });
  }

  @Get('accessibility')
  @Public()
  accessibility(@Res() reply: FastifyReply) {
    return sendPublicPage(reply, 'accessibility.njk', {});
  }

  @Get('programmes/:code/returns')
  @Public()
  async returns(@Param('code') code: string, @Res() reply: FastifyReply) {
    const o = await this.submittedReturns.model(code);
    return sendPublicPage(reply, 'returns.njk', {
      ...o,
      illustrative: o.items.some((i) => i.illustrative),
      spentToDatePence: parsePoundsExact(o.items[0]?.capital?.spendToDate ?? '0.00'),
    });
  }

  @Get('programmes/:code/changes-since-last-return')
  @Public()
  async changes(@Param('code') code: string, @Res() reply: FastifyReply) {
    return sendPublicPage(reply, 'changes-since.njk', changesSinceView(await this.changesSince.model(code)));
  }

  @Get('programmes/:code/projects/:project')
  @Public()
  async project(@Param('code') code: string, @Param('project') project: string, @Res() reply: FastifyReply) {
    return sendPublicPage(reply, 'project.njk', projectPageView(await this.dashboard.project(code, project)));
  }

  @Get('programmes/:code')
  @Public()
  async overview(@Param('code') code: string, @Query('all') all: string | undefined, @Res() reply: FastifyReply) {
    // Long lists show their first rows, each with a link to this page at ?all=1, which shows every one.
    if (all !== undefined && all !== '1')
      throw new ValidationError([{ field: 'all', problem: 'must be 1 (every list in full) or left out' }]);
    const full = all === '1';
    const fullListHref = `/programmes/${encodeURIComponent(code)}?all=1`;
    const model = await this.dashboard.overview(
      code,
      'overview',
      full ? { view: true } : { view: true, listLimit: PAGE_LIST_LIMIT, fullListHref },
    );
    const v = programmePageView(model, full ? {} : { listLimit: PAGE_LIST_LIMIT });
    return sendPublicPage(reply, 'programme.njk', { v, title: v.title, crumbs: [], illustrative: v.illustrative });
  }

  @Get('programmes/:code/reconciliation')
  @Public()
  async reconciliation(@Param('code') code: string, @Res() reply: FastifyReply) {
    const v = programmePageView(await this.dashboard.overview(code));
    return sendPublicPage(reply, 'reconciliation.njk', {
      v,
      title: `What the documents say vs what the projects add up to: ${v.title}`,
      crumbs: [{ href: v.base, label: v.title }],
      illustrative: v.illustrative,
    });
  }

  @Get('programmes/:code/briefing')
  @Public()
  async briefing(@Param('code') code: string, @Res() reply: FastifyReply) {
    const v = programmePageView(await this.dashboard.overview(code, 'briefing'));
    return reply.type(HTML).send(briefingHtml(v, new Date().toISOString()));
  }

  @Get('programmes/:code/briefing.pdf')
  @Public()
  async briefingPdf(@Param('code') code: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    let out;
    try {
      out = await this.briefingPdfs.download(code);
    } catch (e) {
      if (e instanceof PrinterUnavailableError) reply.header('retry-after', String(e.retryAfterSeconds));
      throw e;
    }
    // Without a browser to print with, the printable page itself (the reader's browser prints it).
    if (!out.pdf) return reply.redirect(`/programmes/${encodeURIComponent(out.code)}/briefing`, 303);
    // Public and shareable, but checked each time: a changed figure must show at once.
    reply.header('ETag', out.pdf.etag).header('Cache-Control', 'public, no-cache');
    if (notModified(req.headers['if-none-match'], out.pdf.etag)) return reply.status(304).send();
    return reply
      .type('application/pdf')
      .header('Content-Disposition', `attachment; filename="${out.code.replace(/[^A-Za-z0-9._-]/g, '_')}-briefing.pdf"`)
      .send(out.pdf.bytes);
  }
}
