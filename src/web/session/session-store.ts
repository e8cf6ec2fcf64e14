import { createHash } from 'node:crypto';
import { LessThan } from 'typeorm';
import { readSessionWithUser, SESSION_USER_KEY, SessionUser } from '../../auth/session-user';
import { WebSession } from '../../auth/web-session.entity';
import { Db } from '../../database/db.service';

export const IDLE_TIMEOUT_MS = 30 * 60_000;
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60_000;
/** The idle clock is written at most this often, so reading pages does not cost a write each. */
export const TOUCH_RESOLUTION_MS = 60_000;

type Callback = (err?: unknown) => void;
type SessionData = Record<string, unknown> & { userId?: number };

export const sessionKey = (id: string) => createHash('sha256').update(id).digest('hex');

/** Pure: has this session ended (idle too long, or older than the absolute limit)? */
export function sessionExpired(row: { createdAt: string; lastSeenAt: string }, now: number): boolean {
  return now - Date.parse(row.lastSeenAt) >= IDLE_TIMEOUT_MS || now - Date.parse(row.createdAt) >= ABSOLUTE_TIMEOUT_MS;
}

/**
 * @fastify/session's store, in our own database (`web_session`). Rows are keyed by the SHA-256
 * of the session id. Expiry is decided here, not by the cookie: an idle or too-old session
 * reads as absent (and is deleted), so the browser must sign in again.
 */
export class DbSessionStore {
  private lastSweep = 0;

  constructor(
    private readonly db: Db,
    private readonly clock: () => number = Date.now,
  ) {}

  get(id: string, cb: (err: unknown, session?: SessionData | null) => void): void {
    this.load(id).then(
      (s) => cb(null, s),
      (e) => cb(e),
    );
  }

  set(id: string, session: SessionData, cb: Callback): void {
    this.save(id, session).then(
      () => cb(),
      (e) => cb(e),
    );
  }

  destroy(id: string, cb: Callback): void {
    this.db
      .write((m) => m.delete(WebSession, { idSha256: sessionKey(id) }))
      .then(
        () => cb(),
        (e) => cb(e),
      );
  }

  /**
   * The session row, its user and the user's assignments in one statement (auth/session-user.ts);
   * the user travels on the session for the guard, never written back.
   */
  private async load(id: string): Promise<SessionData | null> {
    const key = sessionKey(id);
    const row = await this.db.read(() => readSessionWithUser(this.db.ds, key));
    if (!row) return null;
    const now = this.clock();
    if (sessionExpired(row, now)) {
      await this.db.write((m) => m.delete(WebSession, { idSha256: key }));
      return null;
    }
    if (now - Date.parse(row.lastSeenAt) >= TOUCH_RESOLUTION_MS)
      await this.db.write((m) => m.update(WebSession, { idSha256: key }, { lastSeenAt: new Date(now).toISOString() }));
    const data = JSON.parse(row.data) as SessionData;
    data[SESSION_USER_KEY] = row.user;
    return data;
  }

  private async save(id: string, session: SessionData): Promise<void> {
    const key = sessionKey(id);
    const data: SessionData = {};
    for (const [k, v] of Object.entries(session)) if (k !== 'cookie' && !(v instanceof SessionUser)) data[k] = v;
    const nowIso = new Date(this.clock()).toISOString();
    const userId = typeof data.userId === 'number' ? data.userId : null;
    await this.db.write(async (m) => {
      const found = await m.findOne(WebSession, { where: { idSha256: key }, select: ['idSha256'] });
      if (found)
        await m.update(WebSession, { idSha256: key }, { data: JSON.stringify(data), userId, lastSeenAt: nowIso });
      else
        await m.insert(WebSession, {
          idSha256: key,
          userId,
          data: JSON.stringify(data),
          createdAt: nowIso,
          lastSeenAt: nowIso,
        });
      await this.sweep(m);
    });
  }

  /** Deletes idle sessions now and then (at most once a minute), so the table does not grow. */
  private async sweep(m: import('typeorm').EntityManager): Promise<void> {
    const now = this.clock();
    if (now - this.lastSweep < TOUCH_RESOLUTION_MS) return;
    this.lastSweep = now;
    await m.delete(WebSession, { lastSeenAt: LessThan(new Date(now - IDLE_TIMEOUT_MS).toISOString()) });
  }
}
