import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';

/** node-sqlite3's Statement, as used here. */
interface SqliteStatement {
  all(params: unknown[], cb: (e: Error | null, rows: unknown[]) => void): unknown;
  finalize(cb?: () => void): unknown;
}

/** node-sqlite3's Database, as used here. */
interface SqliteHandle {
  close(cb?: (e: Error | null) => void): unknown;
}

/**
 * node-sqlite3's Statement constructor (the module TypeORM opened the connection with): its
 * callback hears of success too, where `Database#prepare`'s hears only of failure.
 */
type StatementClass = new (db: SqliteHandle, sql: string, cb: (e: Error | null) => void) => SqliteStatement;

interface SqliteDriver {
  databaseConnection?: SqliteHandle;
  sqlite?: { Statement: StatementClass };
}

interface PgPool {
  query(q: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

const names = new Map<string, string>();

/**
 * A prepared statement's name, derived from its text: parsed once per pooled connection, then
 * reused. Remembered per text (the lean statements are a few fixed texts), so a call hashes nothing.
 */
export function statementName(sql: string): string {
  let name = names.get(sql);
  if (name === undefined) {
    name = `gdt_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`;
    if (names.size < 1000) names.set(sql, name);
  }
  return name;
}

/** A kept statement: usable once `ready` settles (prepared, or failed and already dropped). */
interface Kept {
  stmt: SqliteStatement;
  prepared: boolean;
  ready: Promise<void>;
  /** Calls holding it (waiting for it to prepare, or running): it is finalized only when none are. */
  users: number;
  dropped: boolean;
  finalized: boolean;
}

/** A connection's kept statements, and those dropped while calls still held them. */
interface Cache {
  kept: Map<string, Kept>;
  held: Set<Kept>;
}

/** Bounds each connection's cache: the lean statements are a few dozen fixed texts. */
export const MAX_CACHED_STATEMENTS = 100;

const caches = new WeakMap<SqliteHandle, Cache>();

/**
 * Finalizes a statement once, after it has prepared (one that failed was finalized by the
 * driver, and a second finalize would never call back). A call still running on it keeps its
 * place: the driver queues the finalize behind it.
 */
function finalize(k: Kept): Promise<void> {
  if (k.finalized) return Promise.resolve();
  k.finalized = true;
  return k.ready.then(
    () => new Promise<void>((ok) => k.stmt.finalize(() => ok())),
    () => undefined,
  );
}

/** Out of the cache; finalized now if no call holds it, else when the last one lets go. */
function drop(cache: Cache, k: Kept): void {
  k.dropped = true;
  if (k.users === 0) void finalize(k);
  else cache.held.add(k);
}

/**
 * The connection's statement cache, made on first use. Closing the connection finalizes its
 * statements first: SQLite refuses to close a connection with statements still prepared, and a
 * reopened DataSource has a new connection, so a stale statement is never used.
 */
function cacheOf(conn: SqliteHandle): Cache {
  let cache = caches.get(conn);
  if (cache) return cache;
  const made: Cache = { kept: new Map(), held: new Set() };
  caches.set(conn, made);
  const close = conn.close;
  conn.close = function (this: SqliteHandle, cb?: (e: Error | null) => void) {
    caches.delete(conn);
    conn.close = close; // this instance's own property goes; the prototype's close is back
    const all = [...made.kept.values(), ...made.held];
    made.kept.clear();
    made.held.clear();
    void Promise.all(all.map(finalize)).then(() => close.call(conn, cb));
    return conn;
  } as SqliteHandle['close'];
  cache = made;
  return cache;
}

/**
 * The statement for this text on this connection, prepared on first use and kept, with this
 * call counted as holding it. node-sqlite3's `Database#all` prepares, runs and finalizes a
 * statement per call (three trips to its worker thread); a kept statement is one trip. Its
 * `all` resets the statement and rebinds the parameters before stepping, and stepping to the
 * end finishes the statement (no read transaction stays open, so checkpoints and writes are not
 * held up). A statement that fails to prepare is dropped; the oldest goes when the cache is full.
 */
function hold(Statement: StatementClass, conn: SqliteHandle, sql: string): Kept {
  const cache = cacheOf(conn);
  let k = cache.kept.get(sql);
  if (!k) {
    if (cache.kept.size >= MAX_CACHED_STATEMENTS) {
      const [oldestSql, oldest] = cache.kept.entries().next().value as [string, Kept];
      cache.kept.delete(oldestSql);
      drop(cache, oldest);
    }
    let settle!: (e: Error | null) => void;
    const ready = new Promise<void>((ok, fail) => (settle = (e) => (e ? fail(e) : ok())));
    // A failed preparation drops the calls queued on the statement without a word: callers wait on `ready`.
    const made: Kept = {
      stmt: new Statement(conn, sql, (e) => {
        if (!e) made.prepared = true;
        else if (cache.kept.get(sql) === made) cache.kept.delete(sql);
        settle(e);
      }),
      prepared: false,
      ready,
      users: 0,
      dropped: false,
      finalized: false,
    };
    cache.kept.set(sql, made);
    k = made;
  }
  k.users++;
  return k;
}

async function sqliteAll<T>(Statement: StatementClass, conn: SqliteHandle, sql: string, params: unknown[]) {
  const cache = cacheOf(conn);
  const k = hold(Statement, conn, sql);
  try {
    if (!k.prepared) await k.ready;
    return await new Promise<T[]>((ok, fail) => k.stmt.all(params, (e, rows) => (e ? fail(e) : ok(rows as T[]))));
  } finally {
    if (--k.users === 0 && k.dropped) {
      cache.held.delete(k);
      void finalize(k);
    }
  }
}

/**
 * A lean read for hot aggregates. TypeORM's query path adds a query runner, a broadcaster,
 * result wrapping and event hooks per call, and on PostgreSQL parses and plans the statement
 * afresh each time: a visible share of a few-millisecond aggregate. Here the statement goes
 * straight to the driver: SQLite's one connection, as a statement kept per text (call it inside
 * `db.read`, which keeps the queue), or PostgreSQL's pool as a named prepared statement. Still
 * through the query logger, so query counts in tests see it.
 */
export async function leanQuery<T = Record<string, unknown>>(
  ds: DataSource,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  if (ds.options.type === 'sqlite') {
    const { databaseConnection: conn, sqlite } = ds.driver as unknown as SqliteDriver;
    if (!conn || !sqlite) return ds.query(sql, params);
    ds.logger.logQuery(sql, params);
    return sqliteAll<T>(sqlite.Statement, conn, sql, params);
  }
  const pool = (ds.driver as unknown as { master?: PgPool }).master;
  if (ds.options.type !== 'postgres' || !pool) return ds.query(sql, params);
  ds.logger.logQuery(sql, params);
  return (await pool.query({ name: statementName(sql), text: sql, values: params })).rows as T[];
}
