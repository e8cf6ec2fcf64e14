import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource } from 'typeorm';
import { DatabaseSettings, dataSourceOptions, EntityList } from './data-source-options';

/** SQLite's page cache per connection, in KiB (see openDataSource). */
let sqliteCacheKib = 65536;

/**
 * For a one-shot command that reads one programme (the `return` commands): SQLite's own 2 MB
 * page cache instead of 64 MB. The pages such a command reads once would otherwise stay in
 * the process to the end: up to 70 MB of the return export's peak on the largest generated
 * programme, and no faster (measured 2.7 s with 2 MB, 3.2 s with 64 MB).
 */
export function useSmallSqliteCache(): void {
  sqliteCacheKib = 2000;
}

/** Opens the database with the pragmas and schema the app relies on. */
export async function openDataSource(s: DatabaseSettings, entities: EntityList = []): Promise<DataSource> {
  const options = dataSourceOptions(s, entities);
  if (options.type === 'sqlite' && options.database !== ':memory:') {
    mkdirSync(dirname(options.database), { recursive: true });
  }
  if (options.type === 'postgres' && s.DATABASE_SCHEMA) {
    // The schema must exist before TypeORM looks for its migrations table.
    const bootstrap = new DataSource({ type: 'postgres', url: s.DATABASE_URL });
    await bootstrap.initialize();
    await bootstrap.query(`CREATE SCHEMA IF NOT EXISTS "${s.DATABASE_SCHEMA}"`);
    await bootstrap.destroy();
  }
  const ds = new DataSource(options);
  await ds.initialize();
  if (options.type === 'sqlite') {
    await ds.query('PRAGMA foreign_keys = ON');
    await ds.query('PRAGMA busy_timeout = 5000');
    await ds.query('PRAGMA synchronous = NORMAL');
    // Up to 64 MB of page cache (the default is 2 MB): the national reports read tens of MB of
    // index per run, and re-reading them through the OS on every page cost ~10 % of each query
    // (a command reading one programme keeps the default: useSmallSqliteCache).
    await ds.query(`PRAGMA cache_size = -${sqliteCacheKib}`);
  }
  return ds;
}

export async function runMigrations(ds: DataSource): Promise<string[]> {
  const done = await ds.runMigrations({ transaction: 'each' });
  return done.map((m) => m.name);
}

export async function migrationState(ds: DataSource): Promise<{ applied: string[]; pending: string[] }> {
  const all = ds.migrations.map((m) => m.name ?? m.constructor.name);
  let applied: string[] = [];
  try {
    const rows: { name: string }[] = await ds.query(`SELECT name FROM ${ds.driver.escape('migrations')} ORDER BY id`);
    applied = rows.map((r) => r.name);
  } catch {
    applied = [];
  }
  return { applied, pending: all.filter((n) => !applied.includes(n)) };
}
