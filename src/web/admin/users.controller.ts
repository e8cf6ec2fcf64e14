import { Body, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { AccountsService } from '../../auth/accounts.service';
import { AuthService } from '../../auth/auth.service';
import { passwordProblems } from '../../auth/passwords';
import { isProjectScoped, ROLES, Roles } from '../../auth/roles.decorator';
import { IdPipe } from '../../common/id.pipe';
import { FieldProblem } from '../../common/errors';
import { formErrors, problemsOf } from '../forms/errors';
import { Pages, WebRequest } from '../pages.service';
import { StaffPages } from '../staff-pages.decorator';
import { ROLE_LABELS } from '../view-filters';

type Form = Record<string, unknown>;
const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
/** Checkbox values arrive as one string or a list. */
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : []);
const LABELS = { name: 'Full name', email: 'Email address', role: 'Role', password: 'Password' };

/** Admins manage people: accounts, roles, project assignments, locks and API tokens. */
@StaffPages('admin/users')
export class UsersController {
  constructor(
    private readonly pages: Pages,
    private readonly accounts: AccountsService,
    private readonly auth: AuthService,
  ) {}

  @Get()
  @Roles('admin')
  async list(@Req() req: WebRequest, @Res() reply: FastifyReply) {
    const users = await this.accounts.listForAdmin();
    return this.pages.render(req, reply, 'admin/users.njk', { pageTitle: 'Users', users });
  }

  @Get('new')
  @Roles('admin')
  async newForm(@Req() req: WebRequest, @Res() reply: FastifyReply) {
    return this.renderNew(req, reply, {});
  }

  private async renderNew(
    req: WebRequest,
    reply: FastifyReply,
    values: Form,
    problems: FieldProblem[] = [],
    status = 200,
  ) {
    return this.pages.render(
      req,
      reply,
      'admin/user-new.njk',
      {
        pageTitle: 'Create a user',
        backLink: { href: '/manage/admin/users', text: 'Back to users' },
        roles: ROLES.map((r) => ({ value: r, text: ROLE_LABELS[r], checked: values.role === r })),
        values,
        errors: problems.length ? formErrors(problems, LABELS, { role: 'role' }) : undefined,
      },
      status,
    );
  }

  @Post()
  @Roles('admin')
  async create(@Req() req: WebRequest, @Res() reply: FastifyReply, @Body() body: Form) {
    const values = { name: text(body.name), email: text(body.email), role: text(body.role) };
    const password = typeof body.password === 'string' ? body.password : '';
    const problems: FieldProblem[] = [];
    if (!values.name) problems.push({ field: 'name', problem: 'Enter a full name' });
    if (!values.email) problems.push({ field: 'email', problem: 'Enter an email address' });
    if (!values.role) problems.push({ field: 'role', problem: 'Select a role' });
    problems.push(...passwordProblems(password, values));
    if (problems.length) return this.renderNew(req, reply, values, problems, 400);
    try {
      const u = await this.auth.createUser(values, req.actor!);
      await this.accounts.setPassword(u.email, password, req.actor!);
      return this.pages.redirect(req, reply, `/manage/admin/users/${u.id}`, `${u.name} can now sign in`);
    } catch (e) {
      const ps = problemsOf(e);
      if (ps) return this.renderNew(req, reply, values, ps, 400);
      throw e;
    }
  }

  @Get(':id')
  @Roles('admin')
  async show(@Req() req: WebRequest, @Res() reply: FastifyReply, @Param('id', IdPipe) id: number) {
    return this.renderUser(req, reply, id);
  }

  private async renderUser(
    req: WebRequest,
    reply: FastifyReply,
    id: number,
    extra: { problems?: FieldProblem[]; issuedToken?: { token: string; expiresAt: string } } = {},
    status = 200,
  ) {
    const user = await this.accounts.getForAdmin(id);
    const assigned = new Set(user.projects.map((p) => p.id));
    const projects = isProjectScoped(user.role)
      ? (await this.accounts.assignableProjects()).map((p) => ({ ...p, checked: assigned.has(p.id) }))
      : [];
    return this.pages.render(
      req,
      reply,
      'admin/user.njk',
      {
        pageTitle: user.name,
        backLink: { href: '/manage/admin/users', text: 'Back to users' },
        subject: user,
        roles: ROLES.map((r) => ({ value: r, text: ROLE_LABELS[r], checked: user.role === r })),
        projects,
        issuedToken: extra.issuedToken,
        errors: extra.problems?.length ? formErrors(extra.problems, LABELS) : undefined,
      },
      status,
    );
  }

  /** Runs an admin action; its field problems re-render the user's page with the error summary. */
  private async act(req: WebRequest, reply: FastifyReply, id: number, action: () => Promise<unknown>, done: string) {
    try {
      await action();
    } catch (e) {
      const ps = problemsOf(e);
      if (ps) return this.renderUser(req, reply, id, { problems: ps }, 400);
      throw e;
    }
    return this.pages.redirect(req, reply, `/manage/admin/users/${id}`, done);
  }

  @Post(':id/role')
  @Roles('admin')
  role(@Req() req: WebRequest, @Res() reply: FastifyReply, @Param('id', IdPipe) id: number, @Body() body: Form) {
    return this.act(req, reply, id, () => this.accounts.changeRole(id, text(body.role), req.actor!), 'Role changed');
  }

  @Post(':id/projects')
  @Roles('admin')
  projects(@Req() req: WebRequest, @Res() reply: FastifyReply, @Param('id', IdPipe) id: number, @Body() body: Form) {
    const ids = list(body.projects);
    if (ids.some((v) => !/^[1-9]\d{0,9}$/.test(v)))
      return this.renderUser(
        req,
        reply,
        id,
        { problems: [{ field: 'projects', problem: 'Select projects from the list' }] },
        400,
      );
    return this.act(
      req,
      reply,
      id,
      () => this.accounts.setAssignments(id, ids.map(Number), req.actor!),
      'Project assignments saved',
    );
  }

  @Post(':id/active')
  @Roles('admin')
  active(@Req() req: WebRequest, @Res() reply: FastifyReply, @Param('id', IdPipe) id: number, @Body() body: Form) {
    const active = text(body.active) === 'true';
    return this.act(
      req,
      reply,
      id,
      () => this.accounts.setActive(id, active, req.actor!),
      active ? 'Account reactivated' : 'Account deactivated: they are signed out and their tokens stop working',
    );
  }

  @Post(':id/unlock')
  @Roles('admin')
  unlock(@Req() req: WebRequest, @Res() reply: FastifyReply, @Param('id', IdPipe) id: number) {
    return this.act(req, reply, id, () => this.accounts.unlock(id, req.actor!), 'Account unlocked');
  }

  @Post(':id/password')
  @Roles('admin')
  async password(
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Param('id', IdPipe) id: number,
    @Body() body: Form,
  ) {
    const user = await this.accounts.getForAdmin(id);
    const password = typeof body.password === 'string' ? body.password : '';
    return this.act(req, reply, id, () => this.accounts.setPassword(user.email, password, req.actor!), 'Password set');
  }

  /** The token is on this page once (not stored, not redirected through a session). */
  @Post(':id/tokens')
  @Roles('admin')
  async token(@Req() req: WebRequest, @Res() reply: FastifyReply, @Param('id', IdPipe) id: number, @Body() body: Form) {
    const user = await this.accounts.getForAdmin(id);
    const daysText = text(body.days) || '90';
    if (!/^\d{1,4}$/.test(daysText))
      return this.renderUser(
        req,
        reply,
        id,
        { problems: [{ field: 'days', problem: 'Days must be a whole number, like 90' }] },
        400,
      );
    try {
      const t = await this.auth.createToken(user.email, Number(daysText), text(body.label) || null, req.actor!);
      return this.renderUser(req, reply, id, { issuedToken: { token: t.token, expiresAt: t.expiresAt } });
    } catch (e) {
      const ps = problemsOf(e);
      if (ps) return this.renderUser(req, reply, id, { problems: ps }, 400);
      throw e;
    }
  }
}
