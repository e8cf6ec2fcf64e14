import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isWriteMethod } from '../auth/auth.guard';
import { DomainError } from '../common/errors';

export class CsrfRefusedError extends DomainError {
  constructor() {
    super(
      'CSRF_REFUSED',
      'This form has expired or did not come from this site. Go back, reload the page and try again.',
      403,
    );
  }
}

/**
 * Checks the CSRF token of every staff-page write with @fastify/csrf-protection (the secret
 * lives in the session; the token comes in the form, a header or the query string).
 */
@Injectable()
export class CsrfGuard implements CanActivate {
  canActivate(ctx: ExecutionContext): Promise<boolean> | boolean {
    const req = ctx.switchToHttp().getRequest<FastifyRequest>();
    if (!isWriteMethod(req.method)) return true;
    const server = req.server as FastifyInstance & {
      csrfProtection: (req: FastifyRequest, reply: FastifyReply, next: () => void) => void;
    };
    return new Promise((resolve, reject) => {
      // The plugin refuses by sending an error on the reply; we turn that into a page instead.
      const refusing = { send: () => reject(new CsrfRefusedError()) } as unknown as FastifyReply;
      server.csrfProtection(req, refusing, () => resolve(true));
    });
  }
}
