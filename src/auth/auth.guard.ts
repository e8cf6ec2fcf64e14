import { CanActivate, ExecutionContext, Injectable, Optional } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { Actor } from './actor';
import { assertRoleAllowed } from './acting-user';
import { UnauthenticatedError } from '../common/errors';
import { NoAccessRuleError, ProjectNotAssignedError, RejectedCredentialError } from './access-errors';
import { AuthThrottle, failureKey, TooManyFailuresError } from './auth-throttle';
import { AccountsService } from './accounts.service';
import { AuthService } from './auth.service';
import { accessMetadata } from './access-rule';
import { PROJECT_FIELD_IN_FORM } from './form-scope.decorator';
import { SessionCarrier } from './session-auth.decorator';
import { preloadedActor } from './session-user';
import { isProjectScoped } from './roles.decorator';
import { inProjectScope } from './scope';
import { bearerToken } from './token';

export type AuthedRequest = FastifyRequest & { actor?: Actor };

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const isWriteMethod = (method: string) => !READ_METHODS.has(method.toUpperCase());

/**
 * The one place access is decided. @Public() routes need nothing; every other route needs a
 * valid bearer token and one of its @Roles (admin always); a route with neither is denied.
 * Programme managers' writes that name a project (`:project`, or `project` in the body) must
 * be about a project assigned to them. Failed sign-ins are throttled (AuthThrottle).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly throttle: AuthThrottle,
    @Optional() private readonly accounts?: AccountsService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    const { isPublic, roles, viaSession } = accessMetadata(this.reflector, ctx.getHandler(), ctx.getClass());
    if (isPublic) {
      // Public routes need nobody, but a signed-in caller is still known (e.g. to see drafts).
      if (viaSession) req.actor = (await this.sessionActor(req)) ?? undefined;
      else if (req.headers.authorization) req.actor = await this.authenticate(req, ctx.switchToHttp().getResponse());
      return true;
    }
    if (!roles) throw new NoAccessRuleError(`${req.method} ${req.routeOptions?.url ?? req.url}`);
    const actor = viaSession
      ? await this.sessionActor(req)
      : await this.authenticate(req, ctx.switchToHttp().getResponse());
    if (!actor) throw new UnauthenticatedError('sign in to see this page');
    req.actor = actor;
    assertRoleAllowed(actor, roles);
    if (isProjectScoped(actor.role) && isWriteMethod(req.method))
      this.checkScope(
        req,
        actor,
        this.reflector.getAllAndOverride<boolean>(PROJECT_FIELD_IN_FORM, [ctx.getHandler(), ctx.getClass()]) === true,
      );
    return true;
  }

  /** The staff pages' user: whoever the browser session is signed in as (deactivated users are not). */
  private async sessionActor(req: AuthedRequest): Promise<Actor | null> {
    const userId = (req as SessionCarrier).session?.userId;
    if (typeof userId !== 'number' || !this.accounts) return null;
    // Read with the session row when the session store loaded it (one statement per request).
    const preloaded = preloadedActor((req as SessionCarrier).session, userId);
    return preloaded !== undefined ? preloaded : this.accounts.actorForUser(userId);
  }

  /**
   * The credential is always checked first: a valid one is never refused for anyone's failures.
   * A failure counts against the token's id when that id exists, else against the address
   * (AuthThrottle); a locked key's failures get 429 with Retry-After instead of 401.
   */
  private async authenticate(req: AuthedRequest, reply?: { header(k: string, v: string): unknown }): Promise<Actor> {
    const token = bearerToken(req.headers.authorization);
    if (!token) throw new UnauthenticatedError();
    try {
      return await this.auth.authenticate(token);
    } catch (e) {
      if (!(e instanceof UnauthenticatedError)) throw e;
      const subject = e instanceof RejectedCredentialError ? e.knownSubject : undefined;
      try {
        this.throttle.failed(failureKey(subject, req.ip));
      } catch (t) {
        if (t instanceof TooManyFailuresError) reply?.header('retry-after', String(Math.ceil(t.retryAfterMs / 1000)));
        throw t;
      }
      throw e;
    }
  }

  private checkScope(req: AuthedRequest, actor: Actor, formChecksBody: boolean): void {
    const params = (req.params ?? {}) as Record<string, unknown>;
    const body = req.body as Record<string, unknown> | null | undefined;
    // Project codes repeat across programmes: the API names the programme in its path (`:code`);
    // the staff pages name it as `?programme=` (web/quarter/update-url.ts) or a form's `programme`.
    const named = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
    const programme =
      named(params.code) ??
      named((req.query as Record<string, unknown> | undefined)?.programme) ??
      (body && typeof body === 'object' && !Array.isArray(body) ? named(body.programme) : undefined);
    if (typeof params.project === 'string' && !inProjectScope(actor, programme, params.project))
      throw new ProjectNotAssignedError(params.project, 'project');
    if (
      !formChecksBody &&
      body &&
      typeof body === 'object' &&
      !Array.isArray(body) &&
      Object.prototype.hasOwnProperty.call(body, 'project')
    ) {
      const p = body.project;
      // An empty form field names no project: the form's own check asks for one (400).
      if (typeof p === 'string' && p !== '' && !inProjectScope(actor, programme, p))
        throw new ProjectNotAssignedError(p, 'project');
    }
  }
}
