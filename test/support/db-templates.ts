import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DbKind, PG_BASE_URL, postgresAvailable } from './databases';

/**
 * The databases end-to-end tests run on: fresh and empty, or copies of one already loaded.
 *
 * On PostgreSQL each is its own database (not a schema in a shared one) so that it can be copied
 * and so that it can commit asynchronously (`synchronous_commit = off`): waiting for the disk on
 * every commit made the PostgreSQL half of the suite several times slower, and these databases
 * never outlive a server crash anyway. Transactions, locks and constraints are unchanged.
 *
 * Copies of databases already migrated and loaded are used instead of building each again.
 *
 * Most end-to-end files start the app on a fresh database with the 2014 deal (and often the demo
 * history) loaded: migrations, seed and demo took 3–7 s per start, about 80 starts per run. The
 * first start with a given content builds a template the ordinary way (the real start-up path);
 * later starts copy it: a file copy on SQLite, `CREATE DATABASE … TEMPLATE` on PostgreSQL. The
 * copied database then goes through the real start-up again, which finds nothing to migrate and
 * the deal and demo already loaded.
 *
 * Templates live for one test process (named by its pid), so a code change is always seen by
 * the next run; leftovers of a killed run are removed by the next run that finds its pid dead.
 */

const PREFIX = 'gdt_tpl_';
const COPY_PREFIX = 'gdt_t_';
const SCHEMA = 'app';
const pid = process.pid;
const fileRoot = join(tmpdir(), 'gdt-templates');
const fileDir = join(fileRoot, String(pid));
const building = new Map<string, Promise<void>>();
let swept = false;

export interface DatabaseEnv {
  env: Record<string, string>;
  cleanup: () => Promise<void>;
}

/** The content a template holds: only settings that change what start-up writes. */
export function templateKey(env: Record<string, string>): string {
  return `seed_${env.SEED_ON_START ?? 'true'}_demo_${env.DEMO_DATA ?? 'true'}`.replace(/[^a-z0-9_]/gi, '');
}

/** A new PostgreSQL database (empty, or a copy of `template`) that commits asynchronously. */
async function createPgDatabase(name: string, template?: string, synchronousCommit = false): Promise<void> {
  await admin(async (c) => {
    await c.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`);
    if (!synchronousCommit) await c.query(`ALTER DATABASE "${name}" SET synchronous_commit = off`);
  });
}

async function dropPgDatabase(name: string): Promise<void> {
  await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

function pgCopyName(): string {
  return `${COPY_PREFIX}${pid}_${randomBytes(5).toString('hex')}`;
}

/** Environment for a fresh, empty database of the given kind. */
export async function freshDatabaseEnv(kind: DbKind, synchronousCommit = false): Promise<DatabaseEnv> {
  await sweepDead(kind);
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'gdt-'));
    return {
      env: { DATABASE_PATH: join(dir, 'test.sqlite') },
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = pgCopyName();
  await createPgDatabase(name, undefined, synchronousCommit);
  return { env: { DATABASE_URL: pgUrl(name), DATABASE_SCHEMA: SCHEMA }, cleanup: () => dropPgDatabase(name) };
}

function alive(p: number): boolean {
  try {
    process.kill(p, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function pgUrl(database: string): string {
  const u = new URL(PG_BASE_URL);
  u.pathname = `/${database}`;
  return u.toString();
}

async function admin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: PG_BASE_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Removes templates and copies left by test processes that no longer run. */
async function sweepDead(kind: DbKind): Promise<void> {
  if (swept) return;
  swept = true;
  if (existsSync(fileRoot))
    for (const d of readdirSync(fileRoot))
      if (/^\d+$/.test(d) && !alive(Number(d))) rmSync(join(fileRoot, d), { recursive: true, force: true });
  if (kind !== 'postgres') return;
  await admin(async (c) => {
    const { rows } = await c.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE 'gdt\\_tpl\\_%' OR datname LIKE 'gdt\\_t\\_%'`,
    );
    for (const { datname } of rows) {
      const owner = Number(/^gdt_t(?:pl)?_(\d+)_/.exec(datname)?.[1]);
      if (owner && owner !== pid && !alive(owner)) await c.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  });
}

/**
 * A database holding what start-up writes for `env`, ready to start on. `build` starts and closes
 * the real app on the environment it is given (the template's first and only real start-up).
 */
export async function templatedDatabaseEnv(
  kind: DbKind,
  env: Record<string, string>,
  build: (dbEnv: Record<string, string>) => Promise<void>,
  synchronousCommit = false,
): Promise<DatabaseEnv> {
  await sweepDead(kind);
  const key = templateKey(env);
  const id = `${kind}:${key}`;
  if (!building.has(id)) building.set(id, buildTemplate(kind, key, build));
  await building.get(id);
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'gdt-'));
    copyFileSync(join(fileDir, `${key}.sqlite`), join(dir, 'test.sqlite'));
    return {
      env: { DATABASE_PATH: join(dir, 'test.sqlite') },
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = pgCopyName();
  await createPgDatabase(name, `${PREFIX}${pid}_${key}`, synchronousCommit);
  return { env: { DATABASE_URL: pgUrl(name), DATABASE_SCHEMA: SCHEMA }, cleanup: () => dropPgDatabase(name) };
}

async function buildTemplate(
  kind: DbKind,
  key: string,
  build: (dbEnv: Record<string, string>) => Promise<void>,
): Promise<void> {
  if (kind === 'sqlite') {
    mkdirSync(fileDir, { recursive: true });
    const file = join(fileDir, `${key}.sqlite`);
    if (existsSync(`${file}.ready`)) return;
    rmSync(file, { force: true });
    // Closing the app checkpoints the write-ahead log into the file, so the file alone is whole.
    await build({ DATABASE_PATH: file });
    writeFileSync(`${file}.ready`, '');
    return;
  }
  const name = `${PREFIX}${pid}_${key}`;
  const exists = await admin(
    async (c) => (await c.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name])).rowCount === 1,
  );
  if (exists) return;
  await createPgDatabase(name);
  try {
    await build({ DATABASE_URL: pgUrl(name), DATABASE_SCHEMA: SCHEMA });
  } catch (e) {
    await dropPgDatabase(name);
    throw e;
  }
}

/** Drops this process's templates (jest's global teardown; a killed run is swept by the next). */
export async function dropTemplates(): Promise<void> {
  rmSync(fileDir, { recursive: true, force: true });
  if (!postgresAvailable()) return;
  const { rows } = await admin((c) =>
    c.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`${PREFIX}${pid}\\_%`]),
  );
  for (const { datname } of rows) await dropPgDatabase(datname);
}
