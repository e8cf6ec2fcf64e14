import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ThrottlerException, ThrottlerStorage } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import { Actor } from '../audit/actor';
import { UnauthenticatedError } from '../common/errors';
import { AppConfig } from '../config/config';
import { NoAccessRuleError, ProjectNotAssignedError, RoleNotAllowedError } from './access-errors';
import { AuthService } from './auth.service';
import { IS_PUBLIC } from './public.decorator';
import { Role, ROLES_KEY } from './roles.decorator';
import { inProjectScope } from './scope';
import { bearerToken } from './token';

export type AuthedRequest = FastifyRequest & { actor?: Actor };

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const isWriteMethod = (method: string) => !READ_METHODS.has(method.toUpperCase());

const FAILURE_WINDOW_MS = 60_000;

/**
 * The one place access is decided. @Public() routes need nothing; every other route needs a
 * valid bearer token and one of its @Roles (admin always); a route with neither is denied.
 * Programme managers' writes that name a project (`:project`, or `project` in the body) must
 * be about a project assigned to them. Repeated bad tokens from one address are throttled.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly blockedUntil = new Map<string, number>();

  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    // Explicit token: ThrottlerStorage is an interface plus a symbol, so tsc's metadata says Object.
    @Inject(ThrottlerStorage) private readonly storage: ThrottlerStorage,
    private readonly config: AppConfig,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const targets = [ctx.getHandler(), ctx.getClass()];
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) {
      // Public routes need nobody, but a signed-in caller is still known (e.g. to see drafts).
      if (req.headers.authorization) req.actor = await this.authenticate(req);
      return true;
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!roles) throw new NoAccessRuleError(`${req.method} ${req.routeOptions?.url ?? req.url}`);
    const actor = await this.authenticate(req);
    req.actor = actor;
    if (actor.role !== 'admin' && !roles.includes(actor.role as Role)) throw new RoleNotAllowedError(actor.role, roles);
    if (actor.role === 'programme_manager' && isWriteMethod(req.method)) this.checkScope(req, actor);
    return true;
  }

  private async authenticate(req: AuthedRequest): Promise<Actor> {
    const token = bearerToken(req.headers.authorization);
    if (!token) throw new UnauthenticatedError();
    const client = req.ip ?? 'unknown';
    const until = this.blockedUntil.get(client);
    // While an address is blocked its tokens are not even checked, so guessing gains nothing.
    if (until !== undefined) {
      if (until > Date.now())
        throw new ThrottlerException('too many failed sign-in attempts from this address: wait a minute');
      this.blockedUntil.delete(client);
    }
    try {
      return await this.auth.authenticate(token);
    } catch (e) {
      if (e instanceof UnauthenticatedError) {
        const rec = await this.storage.increment(
          `auth-failure:${client}`,
          FAILURE_WINDOW_MS,
          this.config.AUTH_FAILURE_LIMIT,
          FAILURE_WINDOW_MS,
          'auth-failures',
        );
        if (rec.isBlocked) {
          this.blockedUntil.set(client, Date.now() + FAILURE_WINDOW_MS);
          throw new ThrottlerException('too many failed sign-in attempts from this address: wait a minute');
        }
      }
      throw e;
    }
  }

  private checkScope(req: AuthedRequest, actor: Actor): void {
    const params = (req.params ?? {}) as Record<string, unknown>;
    const programme = typeof params.code === 'string' ? params.code : undefined;
    if (typeof params.project === 'string' && !inProjectScope(actor, programme, params.project))
      throw new ProjectNotAssignedError(params.project, 'project');
    const body = req.body as Record<string, unknown> | null | undefined;
    if (
      body &&
      typeof body === 'object' &&
      !Array.isArray(body) &&
      Object.prototype.hasOwnProperty.call(body, 'project')
    ) {
      const p = body.project;
      if (typeof p === 'string' && !inProjectScope(actor, programme, p))
        throw new ProjectNotAssignedError(p, 'project');
    }
  }
}
