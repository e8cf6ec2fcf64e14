import { Actor } from './actor';
import { ProjectNotAssignedError } from './access-errors';
import { isProjectScoped } from './roles.decorator';

/** The key an actor's project assignment is held under: `<programme code>/<project code>`. */
export function projectKey(programme: string, project: string): string {
  return `${programme}/${project}`;
}

/** True when the actor may write about this project (only project-scoped roles are limited). */
export function inProjectScope(actor: Actor, programme: string | undefined, project: string): boolean {
  if (!isProjectScoped(actor.role)) return true;
  const keys = actor.projects ?? [];
  if (programme === undefined) return keys.some((k) => k.endsWith(`/${project}`));
  return keys.includes(projectKey(programme, project));
}

/** inProjectScope for a list of projects: one Set of the actor's keys, not a scan of them per project. */
export function projectScopeTest(actor: Actor): (programme: string, project: string) => boolean {
  if (!isProjectScoped(actor.role)) return () => true;
  const keys = new Set(actor.projects ?? []);
  return (programme, project) => keys.has(projectKey(programme, project));
}

/** For services whose routes do not name the project (e.g. an allocation edited by id). */
export function assertProjectScope(
  actor: Actor,
  programme: string | undefined,
  project: string | null | undefined,
  field = 'project',
): void {
  if (!isProjectScoped(actor.role)) return;
  // Programme-level rows (no project) are not project-scoped.
  if (project === null || project === undefined) return;
  if (!inProjectScope(actor, programme, project)) throw new ProjectNotAssignedError(project, field);
}
