import type { Command } from 'commander';
import type { Actor } from '../auth/actor';
import type { Role } from '../auth/roles';
import type { CliContext, CliModules } from './cli-context';

/**
 * `--as <email>`: the user a governed command writes as. The CLI is an operator's tool with
 * direct database access, so this is attribution, not authentication: it names who is acting
 * and applies that user's role and project scope exactly as the API's guard and services would
 * (the route's own `@Roles`, `assertRoleAllowed`, the same actor shape), so separation of duties
 * and scope no longer rest on an environment variable. Setting-up commands (migrate, seed,
 * the first admin, backup and restore) do not take it.
 */
export function asOption<C extends Command>(c: C): C {
  return c.option(
    '--as <email>',
    'the user this command acts as (required: their role and scope apply; audited as them)',
  );
}

/**
 * The roles a route allows, read by the guard's own `accessMetadata` (handler over controller):
 * the CLI asks the API's rule, it does not restate it.
 */
export async function routeRoles(controller: { prototype: object; name: string }, method: string): Promise<Role[]> {
  const [{ Reflector }, { accessMetadata }] = await Promise.all([
    import('@nestjs/core'),
    import('../auth/access-rule'),
  ]);
  const handler = (controller.prototype as Record<string, unknown>)[method];
  const roles =
    typeof handler === 'function'
      ? accessMetadata(new Reflector(), handler, controller as Parameters<typeof accessMetadata>[2]).roles
      : undefined;
  if (!roles) throw new Error(`${controller.name}.${method} has no @Roles: the CLI cannot say who may do this`);
  return roles;
}

export interface Governed {
  /** The command as typed, for the message: e.g. "change approve". */
  command: string;
  roles: readonly Role[];
  /** Checked like the guard's `:project` parameter when the command names one project. */
  programme?: string;
  project?: string;
}

/**
 * The actor for a governed command, or a refusal (exit 2) naming what is missing. `modules`
 * are the command's own: the application context is built once, from the first modules asked for.
 */
export async function actAs(
  ctx: CliContext,
  modules: CliModules,
  email: string | undefined,
  g: Governed,
): Promise<Actor> {
  const [{ ValidationError }, { Db }, acting, scope, { ProjectNotAssignedError }] = await Promise.all([
    import('../common/errors'),
    import('../database/db.service'),
    import('../auth/acting-user'),
    import('../auth/scope'),
    import('../auth/access-errors'),
  ]);
  const who = `a user whose role may do this (${['admin', ...g.roles.filter((r) => r !== 'admin')].join(', ')})`;
  if (!email?.trim())
    throw new ValidationError([
      {
        field: 'as',
        problem: `${g.command} writes as a named user: add --as <email> of ${who}. The CLI is an operator's tool with database access, so --as is attribution, not authentication`,
      },
    ]);
  const db = await ctx.get(Db, modules);
  const actor = await db.read(async (m) => {
    const user = await acting.activeUserByEmail(m, email);
    return user ? acting.actorOfUser(m, user, `cli:${process.env.USER ?? 'unknown'}`) : null;
  });
  if (!actor)
    throw new ValidationError([
      { field: 'as', problem: `"${email}" is not an active user: name ${who} (npm run cli -- user list)` },
    ]);
  acting.assertRoleAllowed(actor, g.roles);
  if (g.project !== undefined && !scope.inProjectScope(actor, g.programme, g.project))
    throw new ProjectNotAssignedError(g.project, 'project');
  return actor;
}
