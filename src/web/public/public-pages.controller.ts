import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../../auth/public.decorator';
import { parsePoundsExact } from '../../common/money';
import { DashboardService } from '../../dashboard/dashboard.service';
import { ChangesSinceService, changesSinceView } from '../../dashboard/delivery/changes-since';
import { SubmittedReturnsService } from '../../dashboard/delivery/returns-list';
import { GLOSSARY } from '../../dashboard/views/glossary.view';
import { projectPageView } from './project.page';
import { sendPublicPage } from './render';

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
}
