import { Get, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ANY_ROLE, Roles } from '../../auth/roles.decorator';
import { csvAttachment } from '../../common/content-negotiation';
import { Pages, WebRequest } from '../pages.service';
import { StaffPages } from '../staff-pages.decorator';
import { auditFilter, AuditPagesService } from './audit-pages.service';

/** The audit trail in words, filtered by project and quarter, with a CSV download. */
@StaffPages('audit')
export class AuditController {
  constructor(
    private readonly pages: Pages,
    private readonly audit: AuditPagesService,
  ) {}

  @Get()
  @Roles(...ANY_ROLE)
  async list(@Req() req: WebRequest, @Res() reply: FastifyReply, @Query() q: Record<string, unknown>) {
    const filter = auditFilter(q);
    const [choices, result] = [await this.audit.choices(), await this.audit.page(filter)];
    const query = new URLSearchParams();
    if (filter.projectId) query.set('project', String(filter.projectId));
    if (filter.quarter) query.set('quarter', filter.quarter);
    return this.pages.render(req, reply, 'audit/list.njk', {
      pageTitle: 'Audit trail',
      filter,
      choices,
      result,
      query: query.toString(),
    });
  }

  @Get('download.csv')
  @Roles(...ANY_ROLE)
  async csv(@Res() reply: FastifyReply, @Query() q: Record<string, unknown>) {
    const filter = auditFilter(q);
    const body = await this.audit.csv(filter);
    return csvAttachment(reply, 'audit-trail.csv').header('cache-control', 'no-store').send(body);
  }
}
