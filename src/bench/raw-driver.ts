import { createHash } from 'node:crypto';
import { Client, Pool } from 'pg';
import * as sqlite3 from 'sqlite3';

/**
 * The raw drivers the baselines use: sqlite3 and pg directly, no ORM, no Nest. Statements
 * are prepared once and reused (the fastest way each driver offers).
 */
export interface RawDb {
  kind: 'sqlite' | 'postgres';
  all<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs a statement; on SQLite resolves with the new row id. */
  run(sql: string, params?: unknown[]): Promise<number>;
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

export async function openRawSqlite(path: string): Promise<RawDb> {
  const db = await new Promise<sqlite3.Database>((ok, fail) => {
    const d = new sqlite3.Database(path, (e) => (e ? fail(e) : ok(d)));
  });
  const stmts = new Map<string, sqlite3.Statement>();
  const stmt = (sql: string) => {
    let s = stmts.get(sql);
    if (!s) stmts.set(sql, (s = db.prepare(sql)));
    return s;
  };
  const exec = (sql: string) => new Promise<void>((ok, fail) => db.exec(sql, (e) => (e ? fail(e) : ok())));
  await exec('PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL');
  return {
    kind: 'sqlite',
    all: <T>(sql: string, params: unknown[] = []) =>
      new Promise<T[]>((ok, fail) => stmt(sql).all(params, (e: Error | null, rows: T[]) => (e ? fail(e) : ok(rows)))),
    run: (sql, params = []) =>
      new Promise<number>((ok, fail) =>
        stmt(sql).run(params, function (this: sqlite3.RunResult, e: Error | null) {
          if (e) fail(e);
          else ok(this.lastID);
        }),
      ),
    exec,
    close: async () => {
      for (const s of stmts.values()) await new Promise((ok) => s.finalize(ok));
      await new Promise<void>((ok, fail) => db.close((e) => (e ? fail(e) : ok())));
    },
  };
}

/** A prepared statement's name: the same text is parsed once per connection, then reused. */
const name = (sql: string) => `b${createHash('sha1').update(sql).digest('hex').slice(0, 16)}`;

/** A client or a pool: both answer the same query calls. */
function pgRaw(db: Client | Pool): RawDb {
  return {
    kind: 'postgres',
    all: async <T>(sql: string, params: unknown[] = []) =>
      (await db.query({ name: name(sql), text: sql, values: params })).rows as T[],
    run: async (sql, params = []) => {
      await db.query({ name: name(sql), text: sql, values: params });
      return 0;
    },
    exec: async (sql) => void (await db.query(sql)),
    close: () => db.end(),
  };
}

export async function openRawPostgres(url: string, schema: string): Promise<RawDb> {
  const c = new Client({ connectionString: url, options: `-c search_path=${schema}` });
  await c.connect();
  return pgRaw(c);
}

/**
 * A pool of raw connections, as many as the app's own pool: for baselines that serve
 * concurrent requests (one client would queue them, handicapping the baseline).
 */
export function openRawPostgresPool(url: string, schema: string, size = 10): RawDb {
  return pgRaw(new Pool({ connectionString: url, options: `-c search_path=${schema}`, max: size }));
}
