import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as sqlite3 from 'sqlite3';
import { CLI_JS, ensureDist } from './support/dist';

/**
 * SIGKILL the real CLI in the middle of `actuals import` of a large CSV (thousands of lines):
 * after each kill SQLite's integrity check passes and the file's actuals are either all present
 * (every line, exact total, one audit entry) or all absent. The database is put back to its
 * state before the import between attempts, so every kill hits the same import.
 */
const PROJECTS = 2000;
const SOURCES = ['LGF', 'LOCAL_MATCH', 'PRIVATE_MATCH'];
const ROWS = PROJECTS * SOURCES.length;
const QUARTER = '2015-16 Q1';
// When to kill: at these fractions of the write phase of an uninterrupted import (from the moment its
// transaction takes SQLite's write lock to the process's exit), so each kill lands while rows are being written.
const KILL_AT = [0.05, 0.25, 0.45, 0.65, 0.85];

function deal(): unknown {
  const base = JSON.parse(readFileSync(join(__dirname, '..', 'seeds', 'growth-deal-2014.json'), 'utf8'));
  const source = base.programme.source;
  const projects = Array.from({ length: PROJECTS }, (_, i) => ({
    code: `A${String(i).padStart(5, '0')}`,
    name: `Generated project ${i}`,
    theme: 'GEN',
    source,
  }));
  const allocations = projects.flatMap((p, i) =>
    SOURCES.map((sourceKind, k) => ({
      ref: `${p.code}-${k}`,
      sourceKind,
      project: p.code,
      period: '2015-16',
      amount: `${5000 + i}.00`,
      commitmentStatus: 'confirmed',
      source,
    })),
  );
  return {
    name: 'crash-actuals-deal',
    illustrative: true,
    programme: {
      code: 'ACTUALS-DEAL',
      name: 'Generated deal for the actuals crash test',
      startsOn: '2015-04-01',
      endsOn: '2021-03-31',
      firstQuarter: '2015-16 Q1',
    },
    organisations: [],
    themes: [{ code: 'GEN', name: 'Generated', source }],
    projects,
    allocations,
    headlines: [],
  };
}

/** The CSV and the total of its actuals in pence, computed here (loose pounds as a finance team types them). */
function actualsCsv(): { text: string; totalPence: number } {
  const lines = ['project,sourceKind,quarter,actual,note'];
  let totalPence = 0;
  for (let i = 0; i < PROJECTS; i++) {
    SOURCES.forEach((s, k) => {
      const pence = 100_000 * (i + 1) + 37 * k + 1;
      totalPence += pence;
      const pounds = `${Math.floor(pence / 100)}.${String(pence % 100).padStart(2, '0')}`;
      lines.push(
        `A${String(i).padStart(5, '0')},${s},${QUARTER},"£${Number(pounds.split('.')[0]).toLocaleString('en-GB')}.${pounds.split('.')[1]}",ledger batch ${i}`,
      );
    });
  }
  return { text: lines.join('\n') + '\n', totalPence };
}

/** True when another connection holds SQLite's write lock (the import has begun writing); never waits. */
function writeLocked(path: string): Promise<boolean> {
  return new Promise((res) => {
    const db = new sqlite3.Database(path, sqlite3.OPEN_READWRITE, (e) => {
      if (e) return res(false);
      db.exec('BEGIN IMMEDIATE', (e2) =>
        e2 ? db.close(() => res(true)) : db.exec('ROLLBACK', () => db.close(() => res(false))),
      );
    });
  });
}

function query<T>(path: string, sql: string): Promise<T[]> {
  return new Promise((res, rej) => {
    const db = new sqlite3.Database(path, (e) => {
      if (e) return rej(e);
      db.all(sql, (e2, rows) => db.close(() => (e2 ? rej(e2) : res(rows as T[]))));
    });
  });
}

describe('crash during a large actuals CSV import (SQLite, real CLI process)', () => {
  let dir: string;
  let db: string;
  let env: NodeJS.ProcessEnv;
  let csv: { text: string; totalPence: number };
  const run = (args: string[]) => spawn('node', [CLI_JS, ...args], { env, stdio: 'ignore' });
  const importArgs = () => [
    'actuals',
    'import',
    join(dir, 'actuals.csv'),
    '--programme',
    'ACTUALS-DEAL',
    '--as',
    'fin@example.org',
  ];
  /** Back to the database as it was before any import (the seeding process closed it cleanly: no WAL). */
  const restore = () => {
    for (const f of [`${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
    copyFileSync(join(dir, 'before-import.sqlite'), db);
  };

  beforeAll(() => {
    ensureDist();
    dir = mkdtempSync(join(tmpdir(), 'gdt-crash-actuals-'));
    db = join(dir, 'db.sqlite');
    env = { ...process.env, DATABASE_PATH: db, LOG_LEVEL: 'silent', SEED_ON_START: 'false', DEMO_DATA: 'false' };
    delete env.DATABASE_URL;
    writeFileSync(join(dir, 'deal.json'), JSON.stringify(deal()));
    csv = actualsCsv();
    writeFileSync(join(dir, 'actuals.csv'), csv.text);
    execFileSync('node', [CLI_JS, 'migrate'], { env, stdio: 'ignore', timeout: 60_000 });
    execFileSync('node', [CLI_JS, 'seed', '--file', join(dir, 'deal.json'), '--no-demo'], {
      env,
      stdio: 'ignore',
      timeout: 120_000,
    });
    // The import names its user: the first admin (no --as needed), then finance created by them.
    for (const u of [
      ['--name', 'Ada', '--email', 'ada@example.org', '--role', 'admin'],
      ['--name', 'Fin', '--email', 'fin@example.org', '--role', 'finance', '--as', 'ada@example.org'],
    ])
      execFileSync('node', [CLI_JS, 'user', 'create', ...u], { env, stdio: 'ignore', timeout: 60_000 });
    expect(existsSync(`${db}-wal`)).toBe(false);
    copyFileSync(db, join(dir, 'before-import.sqlite'));
  }, 400_000);
  afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

  async function state() {
    const [integrity] = await query<{ integrity_check: string }>(db, 'PRAGMA integrity_check');
    const [row] = await query<{ lines: number; pence: number | null; audits: number }>(
      db,
      `SELECT (SELECT COUNT(*) FROM spend_profile s JOIN programme g ON g.id = s.programme_id WHERE g.code = 'ACTUALS-DEAL' AND s.actual_pence IS NOT NULL) AS lines,
              (SELECT SUM(s.actual_pence) FROM spend_profile s JOIN programme g ON g.id = s.programme_id WHERE g.code = 'ACTUALS-DEAL') AS pence,
              (SELECT COUNT(*) FROM audit_entry WHERE action = 'import_actuals') AS audits`,
    );
    return { integrity: integrity.integrity_check, lines: row.lines, pence: row.pence ?? 0, audits: row.audits };
  }
  const whole = () => ({ integrity: 'ok', lines: ROWS, pence: csv.totalPence, audits: 1 });
  const absent = { integrity: 'ok', lines: 0, pence: 0, audits: 0 };

  it('is all or nothing after each SIGKILL, and imports cleanly afterwards', async () => {
    // An uninterrupted import: when its writing starts and ends, and what "whole" looks like.
    const t0 = Date.now();
    const first = run(importArgs());
    let exitCode: number | null | undefined;
    const firstExit = new Promise<void>((res) => first.on('exit', (c) => ((exitCode = c), res())));
    let lockedAt: number | undefined;
    while (exitCode === undefined) {
      if (lockedAt === undefined && (await writeLocked(db))) lockedAt = Date.now() - t0;
      await new Promise((r) => setTimeout(r, 10));
    }
    await firstExit;
    const fullMs = Date.now() - t0;
    expect(exitCode).toBe(0);
    expect(lockedAt).toBeDefined();
    expect(await state()).toEqual(whole());
    const writeMs = fullMs - lockedAt!;

    let killedMidImport = 0;
    const outcomes: string[] = [];
    for (const fraction of KILL_AT) {
      restore();
      expect(await state()).toEqual(absent);
      const child: ChildProcess = run(importArgs());
      const exited = new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
      let done = false;
      void exited.then(() => (done = true));
      let locked: number | undefined;
      // Wait for the write phase to begin, then for the chosen share of it.
      while (!done && (locked === undefined || Date.now() - locked < writeMs * fraction)) {
        if (locked === undefined && (await writeLocked(db))) locked = Date.now();
        await new Promise((r) => setTimeout(r, 5));
      }
      const killed = !done;
      if (killed) {
        child.kill('SIGKILL');
        if (locked !== undefined) killedMidImport++;
      }
      await exited;
      const s = await state();
      expect([JSON.stringify(absent), JSON.stringify(whole())]).toContain(JSON.stringify(s));
      outcomes.push(
        `${killed ? 'SIGKILL' : 'no kill (finished)'} ${locked === undefined ? 'before writing' : `${Date.now() - locked} ms into the write phase`} → integrity ${s.integrity}, import ${s.lines ? 'fully present' : 'fully absent'}`,
      );
    }
    // After the last kill, importing again completes. Under load the last attempt can finish before
    // its kill (the import is then whole already, and importing the same file again would be a
    // second import with a second audit entry): start that case from the state before the import.
    if ((await state()).lines) restore();
    const again = await new Promise<number | null>((res) => run(importArgs()).on('exit', res));
    expect(again).toBe(0);
    expect(await state()).toEqual(whole());
    console.log(
      `crash (actuals import): ${killedMidImport} faults injected (SIGKILL of the real CLI importing ${ROWS} CSV lines, uninterrupted ${fullMs} ms of which writing ${writeMs} ms), every time consistent and all-or-nothing; re-import complete (£${(csv.totalPence / 100).toFixed(2)})\n  ` +
        outcomes.join('\n  '),
    );
    expect(killedMidImport).toBeGreaterThanOrEqual(3);
  }, 900_000);
});
