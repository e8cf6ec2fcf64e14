import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Actor } from '../audit/actor';
import { UnauthenticatedError } from '../common/errors';
import { AppConfig } from '../config/config';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { Public } from './public.decorator';
import { Roles } from './roles.decorator';

class Ctl {
  @Public() open() {}
  @Roles('finance') finance() {}
  @Roles('programme_manager') manage() {}
  bare() {}
}

function ctx(handler: keyof Ctl, req: Record<string, unknown>): ExecutionContext {
  return {
    getType: () => 'http',
    getHandler: () => Ctl.prototype[handler],
    getClass: () => Ctl,
    switchToHttp: () => ({ getRequest: () => req }),
  } as unknown as ExecutionContext;
}

const actors: Record<string, Actor> = {
  'tok-fin': { userId: 1, name: 'f', role: 'finance' },
  'tok-pm': { userId: 2, name: 'p', role: 'programme_manager', projects: ['P1/A'] },
  'tok-admin': { userId: 3, name: 'a', role: 'admin' },
};
const auth = {
  authenticate: async (t: string) => actors[t] ?? Promise.reject(new UnauthenticatedError()),
} as unknown as AuthService;
const storage = { increment: async () => ({ totalHits: 1, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 }) };
const guard = new AuthGuard(new Reflector(), auth, storage as never, { AUTH_FAILURE_LIMIT: 30 } as AppConfig);
const req = (token?: string, extra: Record<string, unknown> = {}) => ({
  method: 'POST',
  url: '/x',
  ip: '1.2.3.4',
  headers: token ? { authorization: `Bearer ${token}` } : {},
  params: {},
  ...extra,
});

describe('AuthGuard', () => {
  it('lets public routes through with no token', async () => {
    await expect(guard.canActivate(ctx('open', req()))).resolves.toBe(true);
  });
  it('denies a route with no rule, even to an admin', async () => {
    await expect(guard.canActivate(ctx('bare', req('tok-admin')))).rejects.toMatchObject({
      code: 'NO_ACCESS_RULE',
      status: 403,
    });
  });
  it('needs a token (401) and a listed role (403); admin always passes', async () => {
    await expect(guard.canActivate(ctx('finance', req()))).rejects.toMatchObject({ status: 401 });
    await expect(guard.canActivate(ctx('finance', req('nope')))).rejects.toMatchObject({ status: 401 });
    await expect(guard.canActivate(ctx('finance', req('tok-pm')))).rejects.toMatchObject({
      code: 'ROLE_NOT_ALLOWED',
      status: 403,
    });
    const r = req('tok-fin');
    await expect(guard.canActivate(ctx('finance', r))).resolves.toBe(true);
    expect((r as { actor?: Actor }).actor?.userId).toBe(1);
    await expect(guard.canActivate(ctx('finance', req('tok-admin')))).resolves.toBe(true);
  });
  it('limits programme managers to assigned projects named in the path or body', async () => {
    await expect(
      guard.canActivate(ctx('manage', req('tok-pm', { params: { code: 'P1', project: 'A' } }))),
    ).resolves.toBe(true);
    await expect(
      guard.canActivate(ctx('manage', req('tok-pm', { params: { code: 'P1', project: 'B' } }))),
    ).rejects.toMatchObject({ code: 'PROJECT_NOT_ASSIGNED' });
    await expect(
      guard.canActivate(ctx('manage', req('tok-pm', { params: { code: 'P2', project: 'A' } }))),
    ).rejects.toMatchObject({ code: 'PROJECT_NOT_ASSIGNED' });
    await expect(
      guard.canActivate(ctx('manage', req('tok-pm', { params: { code: 'P1' }, body: { project: 'B' } }))),
    ).rejects.toMatchObject({ code: 'PROJECT_NOT_ASSIGNED' });
    await expect(
      guard.canActivate(ctx('manage', req('tok-pm', { params: { code: 'P1' }, body: { project: 'A' } }))),
    ).resolves.toBe(true);
    // Reads are not project-scoped.
    await expect(
      guard.canActivate(ctx('manage', req('tok-pm', { method: 'GET', params: { code: 'P1', project: 'B' } }))),
    ).resolves.toBe(true);
  });
  it('blocks an address after repeated bad tokens, without checking further tokens', async () => {
    let hits = 0;
    const blocking = {
      increment: async () => ({ totalHits: ++hits, timeToExpire: 60, isBlocked: hits >= 3, timeToBlockExpire: 60 }),
    };
    const g = new AuthGuard(new Reflector(), auth, blocking as never, { AUTH_FAILURE_LIMIT: 2 } as AppConfig);
    await expect(g.canActivate(ctx('finance', req('bad')))).rejects.toMatchObject({ status: 401 });
    await expect(g.canActivate(ctx('finance', req('bad')))).rejects.toMatchObject({ status: 401 });
    await expect(g.canActivate(ctx('finance', req('bad')))).rejects.toMatchObject({ status: 429 });
    await expect(g.canActivate(ctx('finance', req('tok-fin')))).rejects.toMatchObject({ status: 429 });
    // Another address is unaffected.
    await expect(g.canActivate(ctx('finance', { ...req('tok-fin'), ip: '5.6.7.8' }))).resolves.toBe(true);
  });
});
