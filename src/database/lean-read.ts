import type { DataSource } from 'typeorm';

interface SqliteHandle {
  all(sql: string, params: unknown[], cb: (e: Error | null, rows: unknown[]) => void): void;
}

/**
 * A lean read for hot aggregates: on SQLite, the statement goes straight to the driver's
 * connection (TypeORM's query runner adds a runner, a broadcaster, result wrapping and event
 * hooks per call, a visible share of a few-millisecond aggregate). Call it inside `db.read`,
 * which keeps SQLite's one-connection queue. PostgreSQL takes the ordinary path.
 */
export async function leanQuery<T = Record<string, unknown>>(ds: DataSource, sql: string, params: unknown[] = []): Promise<T[]> {
  if (ds.options.type !== 'sqlite') return ds.query(sql, params);
  const conn = (ds.driver as unknown as { databaseConnection?: SqliteHandle }).databaseConnection;
  if (!conn) return ds.query(sql, params);
  // Still through the logger, so query counts in tests see it.
  ds.logger.logQuery(sql, params);
  return new Promise<T[]>((ok, fail) => conn.all(sql, params, (e, rows) => (e ? fail(e) : ok(rows as T[]))));
}
