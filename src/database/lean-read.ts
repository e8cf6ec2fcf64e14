import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';

interface SqliteHandle {
  all(sql: string, params: unknown[], cb: (e: Error | null, rows: unknown[]) => void): void;
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

/**
 * A lean read for hot aggregates. TypeORM's query path adds a query runner, a broadcaster,
 * result wrapping and event hooks per call, and on PostgreSQL parses and plans the statement
 * afresh each time: a visible share of a few-millisecond aggregate. Here the statement goes
 * straight to the driver: SQLite's one connection (call it inside `db.read`, which keeps the
 * queue), or PostgreSQL's pool as a named prepared statement. Still through the query logger,
 * so query counts in tests see it.
 */
export async function leanQuery<T = Record<string, unknown>>(
  ds: DataSource,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  if (ds.options.type === 'sqlite') {
    const conn = (ds.driver as unknown as { databaseConnection?: SqliteHandle }).databaseConnection;
    if (!conn) return ds.query(sql, params);
    ds.logger.logQuery(sql, params);
    return new Promise<T[]>((ok, fail) => conn.all(sql, params, (e, rows) => (e ? fail(e) : ok(rows as T[]))));
  }
  const pool = (ds.driver as unknown as { master?: PgPool }).master;
  if (ds.options.type !== 'postgres' || !pool) return ds.query(sql, params);
  ds.logger.logQuery(sql, params);
  return (await pool.query({ name: statementName(sql), text: sql, values: params })).rows as T[];
}
