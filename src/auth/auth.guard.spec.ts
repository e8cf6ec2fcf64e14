import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Actor } from './actor';
import { UnauthenticatedError } from '../common/errors';
import { AppConfig } from '../config/config';
import { RejectedCredentialError } from './access-errors';
import { AuthThrottle } from './auth-throttle';
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
    switchToHttp: () => ({ getRequest: () => req, getResponse: () => ({ header: () => undefined }) }),
  } as unknown as ExecutionContext;
}

const actors: Record<string, Actor> = {
  'tok-fin': { userId: 1, name: 'f', role: 'finance' },
  'tok-pm': { userId: 2, name: 'p', role: 'programme_manager', projects: ['P1/A'] },
  'tok-admin': { userId: 3, name: 'a', role: 'admin' },
};
// 'wrong-<id>' names an existing token with a wrong secret; anything else unknown is an unknown id.
const auth = {
  authenticate: async (t: string) =>
    actors[t] ??
    Promise.reject(
      t.startsWith('wrong-') ? new RejectedCredentialError('bad', `token:${t.slice(6)}`) : new UnauthenticatedError(),
    ),
} as unknown as AuthService;
const throttle = (free: number) => new AuthThrottle({ AUTH_FAILURE_LIMIT: free } as AppConfig);
const guard = new AuthGuard(new Reflector(), auth, throttle(30));
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
    // The staff pages name the programme as ?programme= (or a form's programme): A of P2 is not P1's A.
    await expect(
      guard.canActivate(ctx('manage', req('tok-pm', { params: { project: 'A' }, query: { programme: 'P2' } }))),
    ).rejects.toMatchObject({ code: 'PROJECT_NOT_ASSIGNED' });
    await expect(
      guard.canActivate(ctx('manage', req('tok-pm', { params: { project: 'A' }, query: { programme: 'P1' } }))),
    ).resolves.toBe(true);
    await expect(
      guard.canActivate(ctx('manage', req('tok-pm', { params: {}, body: { programme: 'P2', project: 'A' } }))),
    ).rejects.toMatchObject({ code: 'PROJECT_NOT_ASSIGNED' });
    await expect(
      guard.canActivate(ctx('manage', req('tok-pm', { params: {}, body: { programme: 'P1', project: 'A' } }))),
    ).resolves.toBe(true);
    // With no programme named (one programme in the database), any programme's A, as before.
    await expect(guard.canActivate(ctx('manage', req('tok-pm', { params: { project: 'A' } })))).resolves.toBe(true);
    // Reads are not project-scoped.
    await expect(
      guard.canActivate(ctx('manage', req('tok-pm', { method: 'GET', params: { code: 'P1', project: 'B' } }))),
    ).resolves.toBe(true);
  });
  it('throttles unknown token ids per address, but a valid token from that address still passes', async () => {
    const g = new AuthGuard(new Reflector(), auth, throttle(2));
    await expect(g.canActivate(ctx('finance', req('bad')))).rejects.toMatchObject({ status: 401 });
    await expect(g.canActivate(ctx('finance', req('bad')))).rejects.toMatchObject({ status: 401 });
    await expect(g.canActivate(ctx('finance', req('bad')))).rejects.toMatchObject({ status: 429 });
    await expect(g.canActivate(ctx('finance', req('bad')))).rejects.toMatchObject({ status: 429 });
    await expect(g.canActivate(ctx('finance', req('tok-fin')))).resolves.toBe(true);
    // Another address's unknown ids are counted apart.
    await expect(g.canActivate(ctx('finance', { ...req('bad'), ip: '5.6.7.8' }))).rejects.toMatchObject({
      status: 401,
    });
  });
  it('throttles a known token id from every address, and no other id or address', async () => {
    const g = new AuthGuard(new Reflector(), auth, throttle(2));
    for (const ip of ['9.9.9.1', '9.9.9.2'])
      await expect(g.canActivate(ctx('finance', { ...req('wrong-X'), ip }))).rejects.toMatchObject({ status: 401 });
    await expect(g.canActivate(ctx('finance', { ...req('wrong-X'), ip: '9.9.9.3' }))).rejects.toMatchObject({
      status: 429,
    });
    // The same address with another id, and unknown ids from it, are not affected.
    await expect(g.canActivate(ctx('finance', { ...req('wrong-Y'), ip: '9.9.9.3' }))).rejects.toMatchObject({
      status: 401,
    });
    await expect(g.canActivate(ctx('finance', { ...req('bad'), ip: '9.9.9.3' }))).rejects.toMatchObject({
      status: 401,
    });
    await expect(g.canActivate(ctx('finance', { ...req('tok-fin'), ip: '9.9.9.3' }))).resolves.toBe(true);
  });
});
