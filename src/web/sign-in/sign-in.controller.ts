import { Body, Get, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { AccountsService, SignInRefusedError } from '../../auth/accounts.service';
import { Public } from '../../auth/public.decorator';
import { ANY_ROLE, Roles } from '../../auth/roles.decorator';
import { FieldProblem } from '../../common/errors';
import { formErrors } from '../forms/errors';
import { Pages, WebRequest } from '../pages.service';
import { SESSION_COOKIE, WEB_PREFIX } from '../setup';
import { StaffPages } from '../staff-pages.decorator';

/** Only our own pages are places to return to after signing in (never another site). */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/manage(\/[\w\-./?=&%]*)?$/.test(next) && !next.includes('//')
    ? next
    : WEB_PREFIX;
}

@StaffPages()
export class SignInController {
  constructor(
    private readonly pages: Pages,
    private readonly accounts: AccountsService,
  ) {}

  @Get('sign-in')
  @Public()
  async form(@Req() req: WebRequest, @Res() reply: FastifyReply, @Query() q: Record<string, string>) {
    if (req.actor?.userId) return this.pages.redirect(req, reply, safeNext(q.next));
    return this.pages.render(req, reply, 'sign-in.njk', {
      pageTitle: 'Sign in',
      form: true,
      next: safeNext(q.next),
      signedOut: q['signed-out'] === '1',
      values: {},
    });
  }

  @Post('sign-in')
  @Public()
  async signIn(@Req() req: WebRequest, @Res() reply: FastifyReply, @Body() body: Record<string, unknown>) {
    const email = typeof body.email === 'string' ? body.email.trim() : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const next = safeNext(body.next);
    const problems: FieldProblem[] = [];
    if (!email) problems.push({ field: 'email', problem: 'Enter your email address' });
    if (!password) problems.push({ field: 'password', problem: 'Enter your password' });
    const again = (ps: FieldProblem[], status: number) =>
      this.pages.render(
        req,
        reply,
        'sign-in.njk',
        { pageTitle: 'Sign in', form: true, next, values: { email }, errors: formErrors(ps) },
        status,
      );
    if (problems.length) return again(problems, 400);
    let signedIn;
    try {
      signedIn = await this.accounts.signIn(email, password, req.ip ?? 'unknown');
    } catch (e) {
      if (e instanceof SignInRefusedError) return again([{ field: 'email', problem: e.message }], e.status);
      throw e;
    }
    // A new session id and, with it, a new CSRF secret: nothing from before sign-in carries over.
    await req.session.regenerate();
    req.session.userId = signedIn.actor.userId!;
    if (signedIn.failedSinceLastSignIn > 0)
      req.session.flash = {
        kind: 'info',
        text: `There ${signedIn.failedSinceLastSignIn === 1 ? 'was 1 failed attempt' : `were ${signedIn.failedSinceLastSignIn} failed attempts`} to sign in to your account since you last signed in. If this was not you, tell an administrator.`,
      };
    return reply.header('cache-control', 'no-store').redirect(next, 303);
  }

  @Post('sign-out')
  @Roles(...ANY_ROLE)
  async signOut(@Req() req: WebRequest, @Res() reply: FastifyReply) {
    await req.session.destroy();
    return reply
      .clearCookie(SESSION_COOKIE, { path: WEB_PREFIX })
      .header('cache-control', 'no-store')
      .redirect('/manage/sign-in?signed-out=1', 303);
  }
}
