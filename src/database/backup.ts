import { copyFileSync, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { mkdirSync } from 'node:fs';
import * as sqlite3 from 'sqlite3';
import { DomainError } from '../common/errors';
import { MIGRATIONS } from './migrations';
import { acquireServerLock, HeldLock, LockUnavailableError, serverLockPath } from './server-lock';

export class BackupError extends DomainError {
  constructor(message: string) {
    super('BACKUP_REFUSED', message, 422);
  }
}

export const PG_DUMP_HINT =
  'PostgreSQL databases are backed up with pg_dump, not this command: pg_dump --format=custom --no-owner --schema="$DATABASE_SCHEMA" --file=growth-deal.dump "$DATABASE_URL" (restore with pg_restore --clean --if-exists --no-owner --dbname="$DATABASE_URL" growth-deal.dump). See docs/reliability.md.';

function open(path: string, mode: number): Promise<sqlite3.Database> {
  return new Promise((res, rej) => {
    const db = new sqlite3.Database(path, mode, (e) => (e ? rej(e) : res(db)));
  });
}
function all<T>(db: sqlite3.Database, sql: string, params: unknown[] = []): Promise<T[]> {
  return new Promise((res, rej) => db.all(sql, params, (e, rows) => (e ? rej(e) : res(rows as T[]))));
}
function run(db: sqlite3.Database, sql: string, params: unknown[] = []): Promise<void> {
  return new Promise((res, rej) => db.run(sql, params, (e) => (e ? rej(e) : res())));
}
function close(db: sqlite3.Database): Promise<void> {
  return new Promise((res) => db.close(() => res()));
}

/**
 * A consistent online copy: VACUUM INTO reads one snapshot (a read transaction), so it is
 * safe while the server writes; the copy is compact and has no WAL of its own.
 */
export async function backupSqlite(dbPath: string, out: string): Promise<{ bytes: number }> {
  if (!existsSync(dbPath)) throw new BackupError(`there is no database at ${dbPath}`);
  if (existsSync(out)) throw new BackupError(`${out} already exists: choose a new file name`);
  mkdirSync(dirname(resolve(out)), { recursive: true });
  const db = await open(dbPath, sqlite3.OPEN_READONLY);
  try {
    await run(db, 'PRAGMA busy_timeout = 10000');
    await run(db, 'VACUUM INTO ?', [resolve(out)]);
  } finally {
    await close(db);
  }
  await checkTrackerDatabase(out);
  return { bytes: statSync(out).size };
}

/** Refuses a file that is not an intact tracker database at exactly this build's migrations. */
export async function checkTrackerDatabase(path: string): Promise<{ migrations: string[] }> {
  if (!existsSync(path)) throw new BackupError(`${path} does not exist`);
  let db: sqlite3.Database;
  try {
    db = await open(path, sqlite3.OPEN_READONLY);
  } catch {
    throw new BackupError(`${path} cannot be opened as an SQLite database`);
  }
  try {
    let ok: { integrity_check: string }[];
    try {
      ok = await all<{ integrity_check: string }>(db, 'PRAGMA integrity_check');
    } catch {
      throw new BackupError(`${path} is not an SQLite database`);
    }
    if (ok.length !== 1 || ok[0].integrity_check !== 'ok')
      throw new BackupError(`${path} fails SQLite's integrity check: ${ok.map((r) => r.integrity_check).join('; ')}`);
    const tables = new Set(
      (await all<{ name: string }>(db, "SELECT name FROM sqlite_master WHERE type = 'table'")).map((r) => r.name),
    );
    if (!tables.has('migrations') || !tables.has('programme'))
      throw new BackupError(`${path} is not a Growth Deal tracker database (no migrations or programme table)`);
    const applied = (await all<{ name: string }>(db, 'SELECT name FROM migrations ORDER BY id')).map((r) => r.name);
    const expected = MIGRATIONS.map((m) => m.name);
    const missing = expected.filter((n) => !applied.includes(n));
    const unknown = applied.filter((n) => !expected.includes(n));
    if (unknown.length)
      throw new BackupError(
        `${path} was made by a newer version (unknown migrations: ${unknown.join(', ')}): restore it with that version`,
      );
    if (missing.length)
      throw new BackupError(
        `${path} is at an older migration (missing: ${missing.join(', ')}): restore it with the version that made it, then run migrate`,
      );
    return { migrations: applied };
  } finally {
    await close(db);
  }
}

/**
 * Replaces the database file with a checked backup. Refused while a server holds the database
 * (its shared lock on `<database>.server-lock`, see server-lock.ts), --force or not: restoring
 * under a running server would lose the writes it acknowledges afterwards. The lock is held
 * exclusively during the swap, so a server starting meanwhile waits. A live SQLite database in
 * WAL mode also has a -wal file; without a server it means another process has it open or it
 * was not closed cleanly (a killed server): then we refuse unless forced.
 */
export async function restoreSqlite(from: string, dbPath: string, force = false): Promise<{ migrations: string[] }> {
  const checked = await checkTrackerDatabase(from);
  let lock: HeldLock | undefined;
  try {
    lock = await acquireServerLock(dbPath, 'exclusive');
  } catch (e) {
    if (e instanceof LockUnavailableError)
      throw new BackupError(
        `${dbPath} is held by a running server (lock ${serverLockPath(dbPath)}): stop the server first; --force does not override this`,
      );
    // flock could not run at all: only --force proceeds without knowing.
    if (!force) throw new BackupError(`cannot tell whether a server holds ${dbPath}: ${(e as Error).message}`);
  }
  try {
    const wal = `${dbPath}-wal`;
    if (existsSync(wal) && !force) {
      throw new BackupError(
        `${dbPath} looks open (its -wal file exists): stop the server first (or pass --force if you are sure nothing has it open)`,
      );
    }
    mkdirSync(dirname(resolve(dbPath)), { recursive: true });
    const tmp = `${dbPath}.restoring`;
    copyFileSync(from, tmp);
    for (const f of [wal, `${dbPath}-shm`]) rmSync(f, { force: true });
    // rename is atomic: a reader sees the old file or the new one, never half of one.
    renameSync(tmp, dbPath);
    return checked;
  } finally {
    await lock?.release();
  }
}
