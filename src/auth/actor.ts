import type { Role } from './roles.decorator';

/** A signed-in role, or 'anonymous' for a public route's caller. */
export type ActorRole = Role | 'anonymous';

/** Who is acting: a signed-in user, or a named system process (seed, CLI). */
export interface Actor {
  userId: number | null;
  name: string;
  role: ActorRole;
  /** A programme manager's assigned projects as `<programme>/<project>` codes (see auth/scope.ts). */
  projects?: string[];
}

export const SYSTEM_ACTOR: Actor = { userId: null, name: 'system', role: 'admin' };

export function cliActor(): Actor {
  return { userId: null, name: `cli:${process.env.USER ?? 'unknown'}`, role: 'admin' };
}

/** The same person, by user id when both are signed-in users, otherwise by name. */
export function sameActor(name: string | null, userId: number | null, actor: Actor): boolean {
  if (userId !== null && actor.userId !== null) return userId === actor.userId;
  return name !== null && name === actor.name;
}
