import { Controller, Get, Header, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/public.decorator';
import { csvAttachment } from '../common/content-negotiation';
import { DashboardService } from './dashboard.service';
import { DASHBOARD_CSS } from './views/styles';

/**
 * The public dashboard's stylesheet and its CSV downloads. The HTML pages are web/public's
 * (templates in the one view engine).
 */
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
