import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { FastifyReply } from 'fastify';
import { ACCESS_DENIAL_CODES } from '../auth/access-errors';
import { DomainError } from '../common/errors';
import { Pages, WebRequest } from './pages.service';

/** Header naming why access was refused, so tests can tell the guard's refusals from others. */
export const DENIAL_HEADER = 'x-access-denied';

/**
 * Errors on staff pages become pages: not signed in → the sign-in page (coming back after);
 * refused → "You cannot see this page"; missing → "Page not found"; anything unknown → a 500
 * page that says nothing internal (logged with the request id).
 */
@Catch()
export class WebExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('WebErrors');

  constructor(private readonly pages: Pages) {}

  async catch(exception: unknown, host: ArgumentsHost): Promise<void> {
    const req = host.switchToHttp().getRequest<WebRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const status =
      exception instanceof DomainError
        ? exception.status
        : exception instanceof HttpException
          ? exception.getStatus()
          : 500;
    const code = exception instanceof DomainError ? exception.code : undefined;
    if (status === 401) {
      if (req.session) req.session.flash = undefined;
      const next = req.method === 'GET' ? `?next=${encodeURIComponent(req.url)}` : '';
      await reply.header('cache-control', 'no-store').redirect(`/manage/sign-in${next}`, 303);
      return;
    }
    if (status >= 500) {
      req.log?.error({ err: exception }, 'unhandled error on a staff page');
      if (!req.log) this.logger.error(String((exception as Error)?.stack ?? exception));
    }
    if (code && ACCESS_DENIAL_CODES.includes(code)) reply.header(DENIAL_HEADER, code);
    const view =
      status === 404
        ? { title: 'Page not found', text: 'If you typed the web address, check it is correct.' }
        : status === 403
          ? {
              title: code === 'CSRF_REFUSED' ? 'This form has expired' : 'You cannot see this page',
              text:
                code === 'CSRF_REFUSED'
                  ? (exception as Error).message
                  : 'Your role or project assignments do not allow this. Ask an administrator if you need access.',
            }
          : status === 429 || exception instanceof ThrottlerException
            ? { title: 'Too many requests', text: 'Wait a minute and try again.' }
            : status >= 500
              ? { title: 'Sorry, there is a problem with the service', text: `Try again later. Reference: ${req.id}` }
              : { title: 'There is a problem', text: (exception as Error).message, link: linkOf(exception) };
    try {
      await this.pages.render(req, reply, 'errors/error.njk', { pageTitle: view.title, message: view }, status);
    } catch (e) {
      // Rendering the error page failed too: a plain answer, never a hang.
      this.logger.error(String((e as Error)?.stack ?? e));
      await reply.status(status).type('text/plain; charset=utf-8').send(view.title);
    }
  }
}

/** A refusal may say where to go next (e.g. choose the programme first): `{ href, text }`. */
function linkOf(e: unknown): { href: string; text: string } | undefined {
  const link = (e as { link?: unknown } | null)?.link as { href?: unknown; text?: unknown } | undefined;
  return link && typeof link.href === 'string' && typeof link.text === 'string'
    ? { href: link.href, text: link.text }
    : undefined;
}
