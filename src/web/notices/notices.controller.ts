import { Get, Req, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ANY_ROLE, Roles } from '../../auth/roles.decorator';
import { Pages, WebRequest } from '../pages.service';
import { StaffPages } from '../staff-pages.decorator';
import { NoticesService } from './notices.service';

@StaffPages('notices')
export class NoticesController {
  constructor(
    private readonly pages: Pages,
    private readonly notices: NoticesService,
  ) {}

  @Get()
  @Roles(...ANY_ROLE)
  async list(@Req() req: WebRequest, @Res() reply: FastifyReply) {
    const notices = await this.notices.list(req.actor!);
    return this.pages.render(req, reply, 'notices/list.njk', { pageTitle: 'Notices', notices });
  }
}
