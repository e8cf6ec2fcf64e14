import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor } from './actor';
import { AuditService } from '../audit/audit.service';
import {
  DuplicateError,
  NotFoundError,
  UnauthenticatedError,
  UnknownReferenceError,
  ValidationError,
} from '../common/errors';
import { Db } from '../database/db.service';
import { RejectedCredentialError } from './access-errors';
import { ApiToken } from './api-token.entity';
import { isProjectScoped, Role, ROLES } from './roles.decorator';
import { projectKey } from './scope';
import {
  DEFAULT_TOKEN_DAYS,
  expiryFrom,
  generateToken,
  isExpired,
  MAX_TOKEN_DAYS,
  parseToken,
  secretMatches,
} from './token';
import { User, UserProject } from './user.entity';

export interface CreateUserInput {
  name: string;
  email: string;
  role: string;
  /** Project codes (programme managers only), within `programme`. */
  projects?: string[];
  programme?: string;
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}\.[^\s@]{1,63}$/;
/** last_used_at is refreshed at most this often, so reads do not each cost a write. */
const LAST_USED_RESOLUTION_MS = 60_000;

export function presentUser(u: User, projects: string[]) {
  return { id: u.id, name: u.name, email: u.email, role: u.role, active: u.active, projects, createdAt: u.createdAt };
}

@Injectable()
export class AuthService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
  ) {}

  createUser(input: CreateUserInput, actor: Actor) {
    const problems: { field: string; problem: string }[] = [];
    const email = String(input.email ?? '')
      .trim()
      .toLowerCase();
    const name = String(input.name ?? '').trim();
    if (!name || name.length > 200) problems.push({ field: 'name', problem: 'must be 1-200 characters' });
    if (!EMAIL.test(email)) problems.push({ field: 'email', problem: 'must be an email address' });
    if (!ROLES.includes(input.role as Role))
      problems.push({ field: 'role', problem: `must be one of ${ROLES.join(', ')}` });
    const projects = (input.projects ?? []).map((p) => p.trim()).filter(Boolean);
    if (projects.length && !isProjectScoped(input.role))
      problems.push({
        field: 'projects',
        problem: 'only programme managers and delivery partners are assigned projects',
      });
    if (projects.length && !input.programme)
      problems.push({ field: 'programme', problem: 'name the programme the projects belong to' });
    if (problems.length) throw new ValidationError(problems);
    return this.db.write(async (m) => {
      if (await m.findOne(User, { where: { email } })) throw new DuplicateError('user', 'email', email);
      const r = await m.insert(User, {
        name,
        email,
        role: input.role as Role,
        active: true,
        createdAt: new Date().toISOString(),
      });
      const user = await m.findOneByOrFail(User, { id: r.identifiers[0].id as number });
      const keys = await this.assign(m, user.id, input.programme, projects);
      await this.audit.record(m, actor, {
        entity: 'user',
        entityId: user.id,
        action: 'create',
        after: presentUser(user, keys),
      });
      return presentUser(user, keys);
    });
  }

  private async assign(
    m: EntityManager,
    userId: number,
    programme: string | undefined,
    projects: string[],
  ): Promise<string[]> {
    if (!projects.length || !programme) return [];
    // auth sits below the deal: it reads the two tables by name rather than importing the deal's features.
    const prog = await m
      .createQueryBuilder()
      .select('g.id', 'id')
      .from('programme', 'g')
      .where('g.code = :code', { code: programme })
      .getRawOne<{ id: number | string }>();
    if (!prog) throw new NotFoundError('programme', programme, 'programme');
    const keys: string[] = [];
    for (const code of projects) {
      const p = await m
        .createQueryBuilder()
        .select('p.id', 'id')
        .from('project', 'p')
        .where('p.programme_id = :g AND p.code = :code', { g: Number(prog.id), code })
        .getRawOne<{ id: number | string }>();
      if (!p) throw new UnknownReferenceError('projects', 'project', code);
      await m.insert(UserProject, { userId, projectId: Number(p.id) });
      keys.push(projectKey(programme, code));
    }
    return keys;
  }

  listUsers() {
    return this.db.read(async (m) => {
      const users = await m.find(User, { order: { id: 'ASC' } });
      const rows = await this.assignmentRows(m);
      const byUser = new Map<number, string[]>();
      for (const r of rows)
        byUser.set(r.user_id, [...(byUser.get(r.user_id) ?? []), projectKey(r.programme, r.project)]);
      return users.map((u) => presentUser(u, byUser.get(u.id) ?? []));
    });
  }

  /** Assignments as codes, in one query (optionally for one user). */
  private async assignmentRows(
    m: EntityManager,
    userId?: number,
  ): Promise<{ user_id: number; programme: string; project: string }[]> {
    const qb = m
      .createQueryBuilder()
      .select('up.user_id', 'user_id')
      .addSelect('g.code', 'programme')
      .addSelect('p.code', 'project')
      .from(UserProject, 'up')
      .innerJoin('project', 'p', 'p.id = up.project_id')
      .innerJoin('programme', 'g', 'g.id = p.programme_id')
      .orderBy('g.code')
      .addOrderBy('p.code');
    if (userId !== undefined) qb.where('up.user_id = :userId', { userId });
    const rows: { user_id: number | string; programme: string; project: string }[] = await qb.getRawMany();
    return rows.map((r) => ({ ...r, user_id: Number(r.user_id) }));
  }

  /** Issues a token; the caller shows `token` once: only its hash is kept. */
  createToken(email: string, days: number = DEFAULT_TOKEN_DAYS, label: string | null, actor: Actor) {
    if (!Number.isInteger(days) || days < 1 || days > MAX_TOKEN_DAYS)
      throw new ValidationError([{ field: 'days', problem: `must be a whole number from 1 to ${MAX_TOKEN_DAYS}` }]);
    return this.db.write(async (m) => {
      const user = await m.findOne(User, { where: { email: String(email).trim().toLowerCase() } });
      if (!user) throw new NotFoundError('user', email, 'email');
      if (!user.active) throw new ValidationError([{ field: 'email', problem: 'the user is not active' }]);
      const t = generateToken();
      const now = new Date();
      const expiresAt = expiryFrom(now, days);
      await m.insert(ApiToken, {
        publicId: t.publicId,
        secretSha256: t.secretSha256,
        userId: user.id,
        label,
        createdAt: now.toISOString(),
        expiresAt,
        revokedAt: null,
        lastUsedAt: null,
      });
      await this.audit.record(m, actor, {
        entity: 'api_token',
        entityId: t.publicId,
        action: 'create',
        after: { user: user.email, expiresAt, label },
      });
      return { token: t.token, publicId: t.publicId, user: user.email, role: user.role, expiresAt };
    });
  }

  revokeToken(publicId: string, actor: Actor) {
    return this.db.write(async (m) => {
      const tok = await m.findOne(ApiToken, { where: { publicId } });
      if (!tok) throw new NotFoundError('token', publicId, 'publicId');
      if (tok.revokedAt) return { publicId, revokedAt: tok.revokedAt, alreadyRevoked: true };
      const revokedAt = new Date().toISOString();
      await m.update(ApiToken, { id: tok.id }, { revokedAt });
      await this.audit.record(m, actor, {
        entity: 'api_token',
        entityId: publicId,
        action: 'revoke',
        before: { revokedAt: null },
        after: { revokedAt },
        meta: { userId: tok.userId },
      });
      return { publicId, revokedAt, alreadyRevoked: false };
    });
  }

  /** The actor a bearer token stands for; 401 for anything else (unknown, wrong, expired, revoked, inactive). */
  async authenticate(token: string, now = new Date()): Promise<Actor> {
    const parsed = parseToken(token);
    if (!parsed) throw new UnauthenticatedError('the API token is not in the gdt_<id>_<secret> format');
    const found = await this.db.read(async (m) => {
      // One indexed read by public id (joined to the user), then assignments for managers only.
      const tok = await m.findOne(ApiToken, { where: { publicId: parsed.publicId } });
      if (!tok) return undefined;
      const user = await m.findOne(User, { where: { id: tok.userId } });
      const projects =
        user && isProjectScoped(user.role)
          ? (await this.assignmentRows(m, user.id)).map((r) => projectKey(r.programme, r.project))
          : undefined;
      return { tok, user, projects };
    });
    const bad = 'the API token is unknown, expired or revoked';
    if (!found) throw new UnauthenticatedError(bad);
    // The id exists: failures count against this token, not against the caller's address.
    const subject = `token:${parsed.publicId}`;
    if (!found.user || !secretMatches(parsed.secret, found.tok.secretSha256))
      throw new RejectedCredentialError(bad, subject);
    const { tok, user } = found;
    if (tok.revokedAt || isExpired(tok.expiresAt, now) || !user.active) throw new RejectedCredentialError(bad, subject);
    if (!tok.lastUsedAt || now.getTime() - Date.parse(tok.lastUsedAt) >= LAST_USED_RESOLUTION_MS) {
      await this.db.write((m) => m.update(ApiToken, { id: tok.id }, { lastUsedAt: now.toISOString() }));
    }
    return { userId: user.id, name: `${user.name} <${user.email}>`, role: user.role, projects: found.projects };
  }

  async me(actor: Actor) {
    return this.db.read(async (m) => {
      const user = actor.userId ? await m.findOne(User, { where: { id: actor.userId } }) : null;
      if (!user) throw new UnauthenticatedError();
      const tokens = await m.find(ApiToken, { where: { userId: user.id }, order: { id: 'ASC' } });
      return {
        ...presentUser(user, actor.projects ?? []),
        tokens: tokens.map((t) => ({
          publicId: t.publicId,
          label: t.label,
          createdAt: t.createdAt,
          expiresAt: t.expiresAt,
          revokedAt: t.revokedAt,
          lastUsedAt: t.lastUsedAt,
        })),
      };
    });
  }
}
