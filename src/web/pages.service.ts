import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Actor } from '../auth/actor';
import { NoticesService } from './notices/notices.service';
import { Flash } from './setup';
import { SERVICE_NAME } from './view-engine';

export { SERVICE_NAME } from './view-engine';

export type WebRequest = FastifyRequest & { actor?: Actor };

interface NavItem {
  text: string;
  href: string;
  roles: string[] | 'any';
}

/** The menu, by role; each page's own @Roles still decides access. */
const NAVIGATION: NavItem[] = [
  { text: 'Home', href: '/manage', roles: 'any' },
  { text: 'Quarter', href: '/manage/quarter', roles: 'any' },
  { text: 'Returns', href: '/manage/returns', roles: 'any' },
  { text: 'Change requests', href: '/manage/change-requests', roles: 'any' },
  { text: 'Confirm spend', href: '/manage/confirm-spend', roles: ['finance', 'admin'] },
  { text: 'Audit trail', href: '/manage/audit', roles: 'any' },
  { text: 'Users', href: '/manage/admin/users', roles: ['admin'] },
];

/** Who the page is for, as the layout shows it. */
export function displayUser(actor: Actor | undefined) {
  if (!actor?.userId) return undefined;
  const name = actor.name.replace(/\s*<[^>]*>$/, '');
  return { id: actor.userId, displayName: name, role: actor.role, projects: actor.projects ?? [] };
}

/**
 * Renders a staff page with what every page needs: the signed-in user, the notices count for
 * the header, the menu, a CSRF token for its forms, and a one-time flash message.
 */
@Injectable()
export class Pages {
  constructor(private readonly notices: NoticesService) {}

  async render(
    req: WebRequest,
    reply: FastifyReply,
    template: string,
    context: Record<string, unknown> = {},
    status = 200,
  ): Promise<FastifyReply> {
    const user = displayUser(req.actor);
    const flash = req.session?.flash;
    if (flash) req.session.flash = undefined;
    const noticeCount = req.actor?.userId ? await this.notices.count(req.actor) : 0;
    const path = req.url.split('?')[0];
    const navigation = user
      ? NAVIGATION.filter((n) => n.roles === 'any' || user.role === 'admin' || n.roles.includes(user.role)).map(
          (n) => ({
            text: n.text,
            href: n.href,
            current: n.href === '/manage' ? path === '/manage' : path.startsWith(n.href),
          }),
        )
      : [];
    // A token (and so a stored session) only for signed-in pages and forms: anonymous visitors
    // of other pages leave no session row.
    const csrfToken = req.session?.sessionId && (user || context.form) ? reply.generateCsrf() : undefined;
    return reply
      .status(status)
      .header('cache-control', 'no-store')
      .view(template, { serviceName: SERVICE_NAME, user, noticeCount, navigation, csrfToken, flash, ...context });
  }

  /** Redirects after a successful form post (303, so the browser GETs the next page), with a message. */
  redirect(req: WebRequest, reply: FastifyReply, to: string, flash?: Flash | string): FastifyReply {
    if (flash && req.session) req.session.flash = typeof flash === 'string' ? { kind: 'success', text: flash } : flash;
    return reply.header('cache-control', 'no-store').redirect(to, 303);
  }
}
