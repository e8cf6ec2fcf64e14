import { Get, Req, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Public } from '../../auth/public.decorator';
import { ANY_ROLE, Roles } from '../../auth/roles.decorator';
import { NotFoundError } from '../../common/errors';
import { NoticesService } from '../notices/notices.service';
import { Pages, WebRequest } from '../pages.service';
import { StaffPages } from '../staff-pages.decorator';

/** The staff home page: what needs you, and where to go. */
@StaffPages()
export class HomeController {
  constructor(
    private readonly pages: Pages,
    private readonly notices: NoticesService,
  ) {}

  @Get()
  @Roles(...ANY_ROLE)
  async home(@Req() req: WebRequest, @Res() reply: FastifyReply) {
    const notices = await this.notices.list(req.actor!);
    return this.pages.render(req, reply, 'home.njk', { pageTitle: 'Home', notices });
  }

  /** Any other address under /manage: the "Page not found" page, not the API's JSON. */
  @Get('*')
  @Public()
  notFound(): never {
    throw new NotFoundError('page', 'this address');
  }
}
