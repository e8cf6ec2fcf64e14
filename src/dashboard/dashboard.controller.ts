import { Controller, Get, Header, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/public.decorator';
import { csvAttachment } from '../common/content-negotiation';
import { chromiumAvailable, printHtmlToPdf } from './briefing';
import { DashboardService } from './dashboard.service';
import { briefingPage } from './views/briefing.view';
import { overviewPage, reconciliationPage } from './views/overview.view';
import { DASHBOARD_CSS } from './views/styles';

const HTML = 'text/html; charset=utf-8';

/** Server-rendered public pages: no scripts, one stylesheet, usable with JavaScript off. */
@ApiExcludeController()
@Controller()
export class DashboardController {
  constructor(private readonly svc: DashboardService) {}

  @Get('assets/dashboard.css')
  @Public()
  @Header('Content-Type', 'text/css; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=3600')
  css() {
    return DASHBOARD_CSS;
  }

  @Get('programmes/:code')
  @Public()
  @Header('Content-Type', HTML)
  async overview(@Param('code') code: string) {
    return overviewPage(await this.svc.overview(code));
  }

  @Get('programmes/:code/briefing')
  @Public()
  @Header('Content-Type', HTML)
  async briefing(@Param('code') code: string) {
    return briefingPage(await this.svc.overview(code, 'briefing'), new Date().toISOString());
  }

  @Get('programmes/:code/reconciliation')
  @Public()
  @Header('Content-Type', HTML)
  async reconciliation(@Param('code') code: string) {
    return reconciliationPage(await this.svc.overview(code));
  }

  @Get('programmes/:code/briefing.pdf')
  @Public()
  async briefingPdf(@Param('code') code: string, @Res({ passthrough: true }) res: FastifyReply) {
    const o = await this.svc.overview(code, 'briefing');
    // Without a browser to print with, the printable page itself (the reader's browser prints it).
    if (!chromiumAvailable()) return res.redirect(`/programmes/${encodeURIComponent(o.programme.code)}/briefing`, 303);
    const pdf = await printHtmlToPdf(
      briefingPage(o, new Date().toISOString()),
      { '/assets/dashboard.css': DASHBOARD_CSS },
      `Committee briefing: ${o.programme.name}, ${o.programme.reportingQuarter}`,
    );
    res.header('Content-Type', 'application/pdf');
    res.header(
      'Content-Disposition',
      `attachment; filename="${o.programme.code.replace(/[^A-Za-z0-9._-]/g, '_')}-briefing.pdf"`,
    );
    return pdf;
  }

  @Get('programmes/:code/data/:file')
  @Public()
  async csv(@Param('code') code: string, @Param('file') file: string, @Res({ passthrough: true }) res: FastifyReply) {
    const out = await this.svc.csv(code, file);
    csvAttachment(res, out.name);
    return out.body;
  }

  @Get('programmes/:code/projects/:project/data/:file')
  @Public()
  async projectCsv(
    @Param('code') code: string,
    @Param('project') project: string,
    @Param('file') file: string,
    @Res({ passthrough: true }) res: FastifyReply,
  ) {
    const out = await this.svc.csv(code, file, project);
    csvAttachment(res, out.name);
    return out.body;
  }
}
