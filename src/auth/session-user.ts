import type { DataSource } from 'typeorm';
import { leanQuery } from '../database/lean-read';
import type { Actor } from './actor';
import { PROJECT_SCOPED_ROLES, type Role } from './roles.decorator';
import { projectKey } from './scope';

/**
 * A staff page's session, its user and the user's assigned projects in one statement on the
 * lean path (a named prepared statement on PostgreSQL): the three reads every /manage request
 * made through TypeORM (session row, user, assignments) are one round trip. The session store
 * reads this; the guard takes the actor from it instead of reading the user again.
 */

/**
 * One row: the session, its user (columns null for a session without a user) and the user's
 * assigned projects as "programme<TAB>project" lines. Aggregated in the statement: a programme
 * manager of 461 projects made 461 wide rows, each repeating the session, and reading them was
 * most of the statement's time.
 */
interface SessionUserRow {
  data: string;
  created_at: string;
  last_seen_at: string;
  uid: number | string | null;
  uname: string | null;
  email: string | null;
  role: string | null;
  active: unknown;
  projects: string | null;
}

const scopedRoles = PROJECT_SCOPED_ROLES.map((r) => `'${r}'`).join(', ');

export function sessionUserSql(kind: 'sqlite' | 'postgres'): string {
  return kind === 'postgres' ? PG_SQL : SQLITE_SQL;
}

function buildSql(kind: 'sqlite' | 'postgres'): string {
  // Codes are letters, digits and dashes: a tab and a newline cannot occur in them.
  const lines =
    kind === 'postgres'
      ? `string_agg(g.code || chr(9) || p.code, chr(10))`
      : `group_concat(g.code || char(9) || p.code, char(10))`;
  return `SELECT s.data AS data, s.created_at AS created_at, s.last_seen_at AS last_seen_at,
       u.id AS uid, u.name AS uname, u.email AS email, u.role AS role, u.active AS active,
       (SELECT ${lines}
          FROM user_project up
          JOIN project p ON p.id = up.project_id
          JOIN programme g ON g.id = p.programme_id
         WHERE up.user_id = u.id AND u.role IN (${scopedRoles})) AS projects
  FROM web_session s
  LEFT JOIN app_user u ON u.id = s.user_id
 WHERE s.id_sha256 = ${kind === 'postgres' ? '$1' : '?'}`;
}

const PG_SQL = buildSql('postgres');
const SQLITE_SQL = buildSql('sqlite');

/**
 * The user a session row was read with, carried on the session object for the rest of the
 * request. Never stored: JSON (the session plugin's change hash) sees nothing, and the store
 * skips it when it writes the session back.
 */
export class SessionUser {
  constructor(
    /** The user id the row named (`web_session.user_id`), or null. */
    readonly userId: number | null,
    /** That user's actor, or null when the user is unknown or deactivated. */
    readonly actor: Actor | null,
  ) {}

  toJSON(): undefined {
    return undefined;
  }
}

/** The session property that carries the `SessionUser` (a string key: the session plugin copies only those). */
export const SESSION_USER_KEY = '_sessionUser';

export interface SessionWithUser {
  data: string;
  createdAt: string;
  lastSeenAt: string;
  user: SessionUser;
}

const bool = (v: unknown) => v === true || v === 1 || v === '1' || v === 't' || v === 'true';

/** Rows of `sessionUserSql` to the session and its user's actor (as `actorOfUser` makes it). */
export function sessionWithUser(rows: readonly SessionUserRow[]): SessionWithUser | null {
  const first = rows[0];
  if (!first) return null;
  let actor: Actor | null = null;
  const uid = first.uid === null ? null : Number(first.uid);
  if (uid !== null && bool(first.active)) {
    const role = first.role as Role;
    const projects = PROJECT_SCOPED_ROLES.includes(role)
      ? (first.projects ?? '')
          .split('\n')
          .filter((l) => l !== '')
          .map((l) => {
            const [programme, project] = l.split('\t');
            return projectKey(programme, project);
          })
      : undefined;
    actor = { userId: uid, name: `${first.uname} <${first.email}>`, role, projects };
  }
  return {
    data: first.data,
    createdAt: first.created_at,
    lastSeenAt: first.last_seen_at,
    user: new SessionUser(uid, actor),
  };
}

export async function readSessionWithUser(ds: DataSource, key: string): Promise<SessionWithUser | null> {
  const kind = ds.options.type === 'postgres' ? 'postgres' : 'sqlite';
  return sessionWithUser(await leanQuery<SessionUserRow>(ds, sessionUserSql(kind), [key]));
}

/**
 * The actor of a session whose user was read with it, or undefined when it was not (or the
 * session names another user since): then the caller reads the user itself.
 */
export function preloadedActor(session: object | null | undefined, userId: number): Actor | null | undefined {
  const carried = (session as Record<string, unknown> | null | undefined)?.[SESSION_USER_KEY];
  if (!(carried instanceof SessionUser) || carried.userId !== userId) return undefined;
  return carried.actor;
}
