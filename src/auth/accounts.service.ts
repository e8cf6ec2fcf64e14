import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor } from './actor';
import { actorOfUser } from './acting-user';
import { AuditService } from '../audit/audit.service';
import { DomainError, NotFoundError, ValidationError } from '../common/errors';
import { Db } from '../database/db.service';
import { hashPassword, passwordProblems, spendVerifyTime, verifyPassword } from './passwords';
import { isProjectScoped, Role, ROLES } from './roles.decorator';
import { afterFailure, verdict } from './sign-in-throttle';
import { SignInThrottle, User, UserProject } from './user.entity';
import { WebSession } from './web-session.entity';

/** Why a sign-in was refused; the message is safe to show (it never says whether the email exists). */
export class SignInRefusedError extends DomainError {
  constructor(
    readonly reason: 'credentials' | 'wait' | 'locked',
    message: string,
    readonly waitSeconds?: number,
  ) {
    super('SIGN_IN_REFUSED', message, reason === 'credentials' ? 401 : 429, { field: 'email', reason });
  }
}

export interface SignedIn {
  actor: Actor;
  /** Failed attempts on this account since its last sign-in (shown to the user). */
  failedSinceLastSignIn: number;
  lastSignInAt: string | null;
}

export interface AdminUserView {
  id: number;
  name: string;
  email: string;
  role: string;
  active: boolean;
  hasPassword: boolean;
  lastSignInAt: string | null;
  /** Client addresses this account is locked for. */
  lockedFor: string[];
  projects: { id: number; programme: string; code: string; name: string }[];
}

const EMAIL_FIELD = 'email';
const now = () => new Date();

/**
 * Passwords, sign-in, and what admins do to accounts (roles, assignments, deactivation,
 * unlocking). API tokens stay in AuthService.
 */
@Injectable()
export class AccountsService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
  ) {}

  /** Sets (or replaces) a user's password after the NCSC rules; the hash never leaves this service. */
  async setPassword(email: string, password: string, actor: Actor): Promise<{ email: string }> {
    const key = String(email ?? '')
      .trim()
      .toLowerCase();
    const user = await this.db.read((m) => m.findOne(User, { where: { email: key } }));
    if (!user) throw new NotFoundError('user', key, EMAIL_FIELD);
    const problems = passwordProblems(password, { email: user.email, name: user.name });
    if (problems.length) throw new ValidationError(problems);
    const hash = await hashPassword(password);
    return this.db.write(async (m) => {
      const at = now().toISOString();
      await m.update(User, { id: user.id }, { passwordHash: hash, passwordChangedAt: at });
      await m.delete(SignInThrottle, { userId: user.id });
      await this.audit.record(m, actor, {
        entity: 'user',
        entityId: user.id,
        action: 'set_password',
        // When, never what: the hash stays in this service.
        before: { passwordChangedAt: user.passwordChangedAt },
        after: { passwordChangedAt: at },
        meta: { name: user.name },
      });
      return { email: user.email };
    });
  }

  /**
   * Checks an email and password from one client address. Refusals: wrong credentials (401),
   * waiting out a rising delay or locked (429). Only this account's failures from this
   * address count, so nobody else's failures refuse a valid password.
   */
  async signIn(emailIn: string, password: string, client: string): Promise<SignedIn> {
    const email = String(emailIn ?? '')
      .trim()
      .toLowerCase();
    const t = now();
    const clientKey = client.slice(0, 64);
    const found = await this.db.read(async (m) => {
      const user = email
        ? await m
            .createQueryBuilder(User, 'u')
            .addSelect('u.passwordHash')
            .where('u.email = :email', { email })
            .getOne()
        : null;
      const throttle = await m.findOne(SignInThrottle, { where: { userId: user?.id ?? 0, client: clientKey } });
      return { user, throttle };
    });
    const v = verdict(found.throttle, t);
    if (v.kind === 'locked')
      throw new SignInRefusedError(
        'locked',
        'This account is locked after too many failed sign-in attempts. Ask an administrator to unlock it.',
      );
    if (v.kind === 'wait')
      throw new SignInRefusedError(
        'wait',
        `Too many failed sign-in attempts. Wait ${v.seconds} second${v.seconds === 1 ? '' : 's'} and try again.`,
        v.seconds,
      );
    const user = found.user;
    const ok = user?.passwordHash ? await verifyPassword(user.passwordHash, password) : false;
    if (!user?.passwordHash) await spendVerifyTime(password);
    if (!ok || !user || !user.active) {
      await this.recordFailure(user ?? null, clientKey, t);
      throw new SignInRefusedError('credentials', 'Enter a correct email address and password');
    }
    return this.db.write(async (m) => {
      await m.delete(SignInThrottle, { userId: user.id, client: clientKey });
      await m.update(User, { id: user.id }, { lastSignInAt: t.toISOString(), failedSignIns: 0 });
      return {
        actor: await actorOfUser(m, user),
        failedSinceLastSignIn: user.failedSignIns,
        lastSignInAt: user.lastSignInAt,
      };
    });
  }

  private async recordFailure(user: User | null, client: string, t: Date): Promise<void> {
    await this.db.write(async (m) => {
      const userId = user?.id ?? 0;
      const row = await m.findOne(SignInThrottle, { where: { userId, client } });
      const next = afterFailure(row, t, !!user);
      if (row) await m.update(SignInThrottle, { id: row.id }, next);
      else await m.insert(SignInThrottle, { userId, client, ...next });
      if (user) {
        await m.increment(User, { id: user.id }, 'failedSignIns', 1);
        if (next.lockedAt && !row?.lockedAt)
          await this.audit.record(
            m,
            { userId: null, name: 'system', role: 'admin' },
            {
              entity: 'user',
              entityId: user.id,
              action: 'lock',
              meta: { name: user.name, client, failures: next.failures },
            },
          );
      }
    });
  }

  /** The actor a signed-in session stands for, or null (unknown or deactivated user). */
  actorForUser(userId: number): Promise<Actor | null> {
    return this.db.read(async (m) => {
      const user = await m.findOne(User, { where: { id: userId } });
      return user?.active ? actorOfUser(m, user) : null;
    });
  }

  /** Every user with assignments and locks, in three queries whatever the number of users. */
  listForAdmin(): Promise<AdminUserView[]> {
    return this.db.read(async (m) => {
      const users = await m.find(User, { order: { name: 'ASC', id: 'ASC' } });
      return this.decorate(m, users);
    });
  }

  getForAdmin(id: number): Promise<AdminUserView> {
    return this.db.read(async (m) => {
      const user = await m.findOne(User, { where: { id } });
      if (!user) throw new NotFoundError('user', id, 'id');
      const withHash = await m
        .createQueryBuilder(User, 'u')
        .addSelect('u.passwordHash')
        .where('u.id = :id', { id })
        .getOneOrFail();
      return (await this.decorate(m, [{ ...user, passwordHash: withHash.passwordHash }]))[0];
    });
  }

  private async decorate(m: EntityManager, users: User[]): Promise<AdminUserView[]> {
    const ids = users.map((u) => u.id);
    if (!ids.length) return [];
    const assigned: { user_id: number | string; id: number | string; programme: string; code: string; name: string }[] =
      await m
        .createQueryBuilder()
        .select('up.user_id', 'user_id')
        .addSelect('p.id', 'id')
        .addSelect('g.code', 'programme')
        .addSelect('p.code', 'code')
        .addSelect('p.name', 'name')
        .from(UserProject, 'up')
        .innerJoin('project', 'p', 'p.id = up.project_id')
        .innerJoin('programme', 'g', 'g.id = p.programme_id')
        .where('up.user_id IN (:...ids)', { ids })
        .orderBy('p.name')
        .getRawMany();
    const locks = await m
      .createQueryBuilder(SignInThrottle, 't')
      .where('t.user_id IN (:...ids)', { ids })
      .andWhere('t.locked_at IS NOT NULL')
      .getMany();
    const hashes = new Map<number, boolean>();
    const withHash = await m
      .createQueryBuilder(User, 'u')
      .select(['u.id'])
      .addSelect('u.passwordHash')
      .where('u.id IN (:...ids)', { ids })
      .getMany();
    for (const u of withHash) hashes.set(u.id, !!u.passwordHash);
    return users.map((u) => ({
      id: u.id,
      name: u.name,
      email: u.email,
      role: u.role,
      active: u.active,
      hasPassword: hashes.get(u.id) ?? false,
      lastSignInAt: u.lastSignInAt,
      lockedFor: locks.filter((l) => l.userId === u.id).map((l) => l.client),
      projects: assigned
        .filter((a) => Number(a.user_id) === u.id)
        .map((a) => ({ id: Number(a.id), programme: a.programme, code: a.code, name: a.name })),
    }));
  }

  /** Users holding locks (for admins' notices). */
  lockedUsers(): Promise<{ id: number; name: string }[]> {
    return this.db.read(async (m) => {
      const rows: { id: number | string; name: string }[] = await m
        .createQueryBuilder()
        .select('u.id', 'id')
        .addSelect('u.name', 'name')
        .distinct(true)
        .from(SignInThrottle, 't')
        .innerJoin(User, 'u', 'u.id = t.user_id')
        .where('t.locked_at IS NOT NULL')
        .getRawMany();
      return rows.map((r) => ({ id: Number(r.id), name: r.name }));
    });
  }

  unlock(userId: number, actor: Actor): Promise<{ unlocked: number }> {
    return this.db.write(async (m) => {
      const user = await this.userOr404(m, userId);
      const held = await m.find(SignInThrottle, { where: { userId: user.id } });
      const r = await m.delete(SignInThrottle, { userId: user.id });
      const lockedAt = held.map((h) => h.lockedAt).filter((x): x is string => !!x);
      await this.audit.record(m, actor, {
        entity: 'user',
        entityId: user.id,
        action: 'unlock',
        before: { lockedAt: lockedAt.sort().at(-1) ?? null, failures: held.reduce((n, h) => n + h.failures, 0) },
        after: { lockedAt: null, failures: 0 },
        meta: { name: user.name },
      });
      return { unlocked: r.affected ?? 0 };
    });
  }

  /** Deactivating signs the user out everywhere; their tokens stop working (checked at use). */
  setActive(userId: number, active: boolean, actor: Actor): Promise<void> {
    if (actor.userId === userId && !active)
      throw new ValidationError([{ field: 'active', problem: 'You cannot deactivate your own account' }]);
    return this.db.write(async (m) => {
      const user = await this.userOr404(m, userId);
      if (user.active === active) return;
      await m.update(User, { id: user.id }, { active, version: user.version + 1 });
      if (!active) await m.delete(WebSession, { userId: user.id });
      await this.audit.record(m, actor, {
        entity: 'user',
        entityId: user.id,
        action: active ? 'reactivate' : 'deactivate',
        before: { active: user.active, version: user.version },
        after: { active, version: user.version + 1 },
        meta: { name: user.name },
      });
    });
  }

  /** A role change drops project assignments the new role cannot hold. */
  changeRole(userId: number, role: string, actor: Actor): Promise<void> {
    if (!ROLES.includes(role as Role))
      throw new ValidationError([{ field: 'role', problem: `Select a role (${ROLES.join(', ')})` }]);
    if (actor.userId === userId && role !== 'admin')
      throw new ValidationError([{ field: 'role', problem: 'You cannot remove your own admin role' }]);
    return this.db.write(async (m) => {
      const user = await this.userOr404(m, userId);
      if (user.role === role) return;
      const held = (await m.find(UserProject, { where: { userId: user.id } })).map((c) => c.projectId);
      const names = held.length ? await projectNames(m, held) : [];
      const projects = names.map((p) => p.name).sort();
      await m.update(User, { id: user.id }, { role: role as Role, version: user.version + 1 });
      const dropped = !isProjectScoped(role);
      if (dropped) await m.delete(UserProject, { userId: user.id });
      await this.audit.record(m, actor, {
        entity: 'user',
        entityId: user.id,
        action: 'update',
        // The assignments a role without projects drops go with it.
        before: { role: user.role, version: user.version, projects },
        after: { role, version: user.version + 1, projects: dropped ? [] : projects },
        meta: { name: user.name },
      });
    });
  }

  /** Replaces a programme manager's or delivery partner's projects with exactly these. */
  setAssignments(userId: number, projectIds: number[], actor: Actor): Promise<void> {
    return this.db.write(async (m) => {
      const user = await this.userOr404(m, userId);
      if (!isProjectScoped(user.role) && projectIds.length)
        throw new ValidationError([
          { field: 'projects', problem: 'Only programme managers and delivery partners are assigned projects' },
        ]);
      const wanted = [...new Set(projectIds)];
      const projects = wanted.length ? await projectNames(m, wanted) : [];
      if (projects.length !== wanted.length)
        throw new ValidationError([{ field: 'projects', problem: 'Select projects from the list' }]);
      const current = await m.find(UserProject, { where: { userId: user.id } });
      const before = current.map((c) => c.projectId).sort((a, b) => a - b);
      const after = [...wanted].sort((a, b) => a - b);
      if (before.join() === after.join()) return;
      await m.delete(UserProject, { userId: user.id });
      for (const id of after) await m.insert(UserProject, { userId: user.id, projectId: id });
      const names = new Map(projects.map((p) => [p.id, p.name]));
      const nameOf = async (ids: number[]) => {
        const missing = ids.filter((i) => !names.has(i));
        if (missing.length) for (const p of await projectNames(m, missing)) names.set(p.id, p.name);
        return ids.map((i) => names.get(i) ?? String(i));
      };
      await this.audit.record(m, actor, {
        entity: 'user',
        entityId: user.id,
        action: 'assign',
        before: { projects: await nameOf(before) },
        after: { projects: await nameOf(after) },
        meta: { name: user.name },
      });
    });
  }

  /** Every project that can be assigned, by programme then name (one query). */
  assignableProjects(): Promise<{ id: number; programme: string; code: string; name: string }[]> {
    return this.db.read(async (m) => {
      const rows: { id: number | string; programme: string; code: string; name: string }[] = await m
        .createQueryBuilder()
        .select('p.id', 'id')
        .addSelect('g.code', 'programme')
        .addSelect('p.code', 'code')
        .addSelect('p.name', 'name')
        .from('project', 'p')
        .innerJoin('programme', 'g', 'g.id = p.programme_id')
        .orderBy('g.code')
        .addOrderBy('p.name')
        .getRawMany();
      return rows.map((r) => ({ ...r, id: Number(r.id) }));
    });
  }

  private async userOr404(m: EntityManager, id: number): Promise<User> {
    const user = await m.findOne(User, { where: { id } });
    if (!user) throw new NotFoundError('user', id, 'id');
    return user;
  }
}

/** Projects' names by id. auth sits below the deal, so it reads the table by name, not the entity. */
async function projectNames(m: EntityManager, ids: number[]): Promise<{ id: number; name: string }[]> {
  const rows: { id: number | string; name: string }[] = await m
    .createQueryBuilder()
    .select('p.id', 'id')
    .addSelect('p.name', 'name')
    .from('project', 'p')
    .where('p.id IN (:...ids)', { ids })
    .getRawMany();
  return rows.map((r) => ({ id: Number(r.id), name: r.name }));
}
