import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as sqlite3 from 'sqlite3';
import { CLI_JS, ensureDist } from './support/dist';

/**
 * SIGKILL in the middle of a large import: the database must pass SQLite's integrity check
 * and hold the deal either whole or not at all; loading again then succeeds. The seed is
 * generated here (thousands of allocations), loaded by the real CLI in a child process.
 */
const PROJECTS = 3000;
const ALLOCATIONS_PER_PROJECT = 3;
// The first kill waits for the load's transaction to spill pages to the WAL; later ones come a
// little earlier each time after the process starts (the WAL grows only near the commit), so each lands mid-load.
const KILLS = [0, -700, -1400].map((afterMs) => ({ walBytes: 32 * 1024, afterMs }));

function bigSeed(): unknown {
  const base = JSON.parse(readFileSync(join(__dirname, '..', 'seeds', 'growth-deal-2014.json'), 'utf8'));
  const source = base.programme.source;
  const projects = Array.from({ length: PROJECTS }, (_, i) => ({
    code: `P${String(i).padStart(5, '0')}`,
    name: `Generated project ${i}`,
    theme: 'GEN',
    source,
  }));
  const allocations = projects.flatMap((p, i) =>
    Array.from({ length: ALLOCATIONS_PER_PROJECT }, (_, k) => ({
      ref: `${p.code}-${k}`,
      sourceKind: ['LGF', 'LOCAL_MATCH', 'PRIVATE_MATCH'][k],
      project: p.code,
      period: '2016-17',
      amount: `${1000 + i}.${String(k).padStart(2, '0')}`,
      commitmentStatus: 'confirmed',
      source,
    })),
  );
  return {
    name: 'crash-test-deal',
    illustrative: true,
    programme: {
      code: 'CRASH-DEAL',
      name: 'Generated deal for the crash test',
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

function query<T>(path: string, sql: string): Promise<T[]> {
  return new Promise((res, rej) => {
    const db = new sqlite3.Database(path, (e) => {
      if (e) return rej(e);
      db.all(sql, (e2, rows) => db.close(() => (e2 ? rej(e2) : res(rows as T[]))));
    });
  });
}

describe('crash during a large import (SQLite, real CLI process)', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(() => {
    ensureDist();
    dir = mkdtempSync(join(tmpdir(), 'gdt-crash-'));
    writeFileSync(join(dir, 'big.json'), JSON.stringify(bigSeed()));
    env = {
      ...process.env,
      DATABASE_PATH: join(dir, 'db.sqlite'),
      LOG_LEVEL: 'silent',
      SEED_ON_START: 'false',
      DEMO_DATA: 'false',
    };
    delete env.DATABASE_URL;
    execFileSync('node', [CLI_JS, 'migrate'], { env, stdio: 'ignore', timeout: 60_000 });
  }, 400_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function state() {
    const [integrity] = await query<{ integrity_check: string }>(env.DATABASE_PATH!, 'PRAGMA integrity_check');
    const [row] = await query<{ programmes: number; projects: number; allocations: number; runs: number }>(
      env.DATABASE_PATH!,
      `SELECT (SELECT COUNT(*) FROM programme WHERE code = 'CRASH-DEAL') AS programmes,
              (SELECT COUNT(*) FROM project p JOIN programme g ON g.id = p.programme_id WHERE g.code = 'CRASH-DEAL') AS projects,
              (SELECT COUNT(*) FROM allocation a JOIN programme g ON g.id = a.programme_id WHERE g.code = 'CRASH-DEAL') AS allocations,
              (SELECT COUNT(*) FROM seed_run WHERE name = 'crash-test-deal') AS runs`,
    );
    return { integrity: integrity.integrity_check, ...row };
  }

  it('is whole or absent after each SIGKILL, and loads cleanly afterwards', async () => {
    const whole = { programmes: 1, projects: PROJECTS, allocations: PROJECTS * ALLOCATIONS_PER_PROJECT, runs: 1 };
    const absent = { programmes: 0, projects: 0, allocations: 0, runs: 0 };
    let killedMidLoad = 0;
    let firstKillMs: number | undefined;
    for (const k of KILLS) {
      const wal = `${env.DATABASE_PATH}-wal`;
      const child: ChildProcess = spawn('node', [CLI_JS, 'seed', '--file', join(dir, 'big.json'), '--no-demo'], {
        env,
        stdio: 'ignore',
      });
      const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
      let done = false;
      void exited.then(() => (done = true));
      const started = Date.now();
      // Kill once the transaction has written this much to the WAL (or after 20 s at most).
      const killAt = firstKillMs === undefined ? 20_000 : firstKillMs + k.afterMs;
      while (!done && Date.now() - started < killAt) {
        if (firstKillMs === undefined && existsSync(wal) && statSync(wal).size >= k.walBytes) break;
        await new Promise((r) => setTimeout(r, 5));
      }
      firstKillMs ??= Date.now() - started;
      const killed = !done;
      if (killed) {
        child.kill('SIGKILL');
        killedMidLoad++;
      }
      await exited;
      const s = await state();
      expect(s.integrity).toBe('ok');
      const { integrity: _, ...counts } = s;
      expect([JSON.stringify(absent), JSON.stringify(whole)]).toContain(JSON.stringify(counts));
      console.log(
        `crash: ${killed ? 'SIGKILL' : 'no kill (the load had finished)'} after ${Date.now() - started} ms (WAL ≥ ${k.walBytes} bytes, ${k.afterMs} ms) → integrity ${s.integrity}, deal ${counts.programmes ? 'fully present' : 'fully absent'}`,
      );
      if (counts.programmes) break;
    }
    const code = await new Promise<number | null>((res) =>
      spawn('node', [CLI_JS, 'seed', '--file', join(dir, 'big.json'), '--no-demo'], { env, stdio: 'ignore' }).on(
        'exit',
        res,
      ),
    );
    expect(code).toBe(0);
    const after = await state();
    expect(after).toEqual({ integrity: 'ok', ...whole });
    console.log(
      `crash: ${killedMidLoad} faults injected (SIGKILL mid-import of ${PROJECTS} projects, ${PROJECTS * ALLOCATIONS_PER_PROJECT} allocations); every time consistent; reload complete`,
    );
    expect(killedMidLoad).toBeGreaterThanOrEqual(1);
  }, 240_000);
});
