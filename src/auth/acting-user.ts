import { EntityManager } from 'typeorm';
import { Actor } from './actor';
import { RoleNotAllowedError } from './access-errors';
import { isProjectScoped, Role } from './roles.decorator';
import { projectKey } from './scope';
import { User, UserProject } from './user.entity';

/**
 * The actor a user stands for, the same whichever door they came in by (API token, staff
 * session, the command line's `--as`): name, role and, for project-scoped roles, the
 * `<programme>/<project>` keys assigned to them.
 */
export async function actorOfUser(m: EntityManager, user: User, via?: string): Promise<Actor> {
  let projects: string[] | undefined;
  if (isProjectScoped(user.role)) {
    const rows: { programme: string; project: string }[] = await m
      .createQueryBuilder()
      .select('g.code', 'programme')
      .addSelect('p.code', 'project')
      .from(UserProject, 'up')
      .innerJoin('project', 'p', 'p.id = up.project_id')
      .innerJoin('programme', 'g', 'g.id = p.programme_id')
      .where('up.user_id = :id', { id: user.id })
      .getRawMany();
    projects = rows.map((r) => projectKey(r.programme, r.project));
  }
  const name = `${user.name} <${user.email}>`;
  return { userId: user.id, name: via ? `${name} via ${via}` : name, role: user.role, projects };
}

/** An active user by email (any case), or null. */
export async function activeUserByEmail(m: EntityManager, email: string): Promise<User | null> {
  const user = await m.findOne(User, { where: { email: email.trim().toLowerCase() } });
  return user?.active ? user : null;
}

/** The guard's role rule, for every door: admin always, otherwise one of the route's roles. */
export function assertRoleAllowed(actor: Actor, roles: readonly Role[]): void {
  if (actor.role !== 'admin' && !roles.includes(actor.role as Role)) throw new RoleNotAllowedError(actor.role, roles);
}
