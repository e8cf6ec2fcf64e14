import { execFileSync } from 'node:child_process';

/**
 * Which databases the end-to-end tests run on. SQLite always; PostgreSQL when it answers,
 * and when REQUIRE_POSTGRES=1 (set by .ci/run) its absence is a failure, not a skip.
 */
export type DbKind = 'sqlite' | 'postgres';

export const PG_BASE_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

let pgAvailable: boolean | undefined;

export function postgresAvailable(): boolean {
  if (pgAvailable !== undefined) return pgAvailable;
  try {
    execFileSync('pg_isready', ['-h', '127.0.0.1', '-p', '5432'], { stdio: 'ignore', timeout: 5000 });
    pgAvailable = true;
  } catch {
    pgAvailable = false;
  }
  if (!pgAvailable) {
    if (process.env.REQUIRE_POSTGRES === '1')
      throw new Error('REQUIRE_POSTGRES=1 but PostgreSQL is not reachable at 127.0.0.1:5432');
    // Loud, once per file: the suite still runs on SQLite.
    console.warn(
      'SKIPPED on PostgreSQL: no server answers at 127.0.0.1:5432 (install and start PostgreSQL, or see .ci/run)',
    );
  }
  return pgAvailable;
}

export function databaseKinds(): DbKind[] {
  return postgresAvailable() ? ['sqlite', 'postgres'] : ['sqlite'];
}

/**
 * The database a browser-only file runs on: `preferred` when it answers, else SQLite. What these
 * files drive in Chromium (layout, keyboard, axe, uploads) is the same on both databases; the
 * flows behind them are tested on both through Fastify's inject, and the quarter walk drives
 * Chromium on each. Files prefer different databases, so between them Chromium meets both.
 */
export function browserDatabase(preferred: DbKind): DbKind[] {
  return databaseKinds().includes(preferred) ? [preferred] : ['sqlite'];
}
