import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../../auth/public.decorator';
import { parsePoundsExact } from '../../common/money';
import { DashboardService } from '../../dashboard/dashboard.service';
import { ChangesSinceService, changesSinceView } from '../../dashboard/delivery/changes-since';
import { SubmittedReturnsService } from '../../dashboard/delivery/returns-list';
import { GLOSSARY } from '../../dashboard/views/glossary.view';
import { chromiumAvailable, printHtmlToPdf } from '../../dashboard/briefing';
import { DASHBOARD_CSS } from '../../dashboard/views/styles';
import { programmePageView } from './programme.page';
import { projectPageView } from './project.page';
import { HTML, renderPublicPage, sendPublicPage } from './render';

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
  async overview(@Param('code') code: string, @Res() reply: FastifyReply) {
    const v = programmePageView(await this.dashboard.overview(code));
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
  async briefingPdf(@Param('code') code: string, @Res() reply: FastifyReply) {
    const v = programmePageView(await this.dashboard.overview(code, 'briefing'));
    // Without a browser to print with, the printable page itself (the reader's browser prints it).
    if (!chromiumAvailable()) return reply.redirect(`${v.base}/briefing`, 303);
    const pdf = await printHtmlToPdf(
      briefingHtml(v, new Date().toISOString()),
      { '/assets/dashboard.css': DASHBOARD_CSS },
      `Committee briefing: ${v.programme.name}, ${v.programme.reportingQuarter}`,
    );
    return reply
      .type('application/pdf')
      .header(
        'Content-Disposition',
        `attachment; filename="${v.programme.code.replace(/[^A-Za-z0-9._-]/g, '_')}-briefing.pdf"`,
      )
      .send(pdf);
  }
}

/** The committee briefing's HTML: the page a browser shows, and what Chromium prints to PDF. */
function briefingHtml(v: ReturnType<typeof programmePageView>, generatedAt: string): string {
  return renderPublicPage('briefing.njk', {
    v,
    title: `Briefing: ${v.title}`,
    crumbs: [{ href: v.base, label: v.title }],
    illustrative: v.illustrative,
    generatedAt,
    preparedOn: generatedAt.slice(0, 10),
    print: true,
  });
}
