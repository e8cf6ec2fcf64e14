import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as sqlite3 from 'sqlite3';
import { databaseKinds } from './support/databases';
import { cli } from './support/cli';
import { ensureDist } from './support/dist';
import { serverLockPath } from '../src/database/server-lock';
import { startTestApp, TestApp } from './support/test-app';

const P = '/api/programmes/SSLEP-GD-2014';

function dump(path: string): Promise<Record<string, unknown[]>> {
  return new Promise((res, rej) => {
    const db = new sqlite3.Database(path, sqlite3.OPEN_READONLY, (e) => {
      if (e) return rej(e);
      db.all(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
        async (e2, tables: { name: string }[]) => {
          if (e2) return rej(e2);
          const out: Record<string, unknown[]> = {};
          for (const { name } of tables) {
            out[name] = await new Promise<unknown[]>((r, j) =>
              db.all(`SELECT * FROM "${name}" ORDER BY rowid`, (e3, rows) => (e3 ? j(e3) : r(rows))),
            );
          }
          db.close(() => res(out));
        },
      );
    });
  });
}

describe.each(databaseKinds())('backup and restore on %s', (kind) => {
  let t: TestApp;
  let dir: string;
  beforeAll(async () => {
    t = await startTestApp(kind);
    dir = mkdtempSync(join(tmpdir(), 'gdt-backup-'));
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  if (kind === 'postgres') {
    it('points to pg_dump instead of pretending', async () => {
      const r = await cli(['backup', '--out', join(dir, 'x.sqlite')], t.env);
      expect(r.code).toBe(2);
      expect(r.err).toContain('pg_dump --format=custom');
      expect(existsSync(join(dir, 'x.sqlite'))).toBe(false);
    });
    return;
  }

  it('backs up while the app runs and restores into a new path with every table’s rows identical', async () => {
    expect(
      (await t.request('POST', `${P}/projects`, { code: 'BACKUP-ME', name: 'Backed up £ “quotes” ☃' })).status,
    ).toBe(201);
    expect(
      (
        await t.request('POST', `${P}/allocations`, {
          sourceKind: 'LGF',
          project: 'BACKUP-ME',
          period: '2016-17',
          amount: '1234567.89',
          commitmentStatus: 'indicative',
        })
      ).status,
    ).toBe(201);
    const out = join(dir, 'backup.sqlite');
    // Writes keep arriving while the backup runs.
    const writing = Promise.all(
      Array.from({ length: 10 }, (_, i) => t.request('POST', `${P}/projects`, { code: `DURING-${i}`, name: 'during' })),
    );
    const b = await cli(['backup', '--out', out], t.env);
    await writing;
    expect(b.code).toBe(0);
    expect(b.out).toContain('integrity ok');
    const again = await cli(['backup', '--out', out], t.env);
    expect(again.code).toBe(2);

    const target = join(dir, 'restored', 'db.sqlite');
    const r = await cli(['restore', '--from', out], { DATABASE_PATH: target });
    expect(r.code).toBe(0);
    const [src, copy] = [await dump(out), await dump(target)];
    expect(Object.keys(copy)).toEqual(Object.keys(src));
    expect(copy).toEqual(src);
    expect(src.project.some((p) => (p as { code: string }).code === 'BACKUP-ME')).toBe(true);
    expect((src.allocation as { amount_pence: number }[]).some((a) => a.amount_pence === 123456789)).toBe(true);
    // Every table of the live database is in the backup (rows written during it may or may not be).
    expect(Object.keys(copy)).toEqual(Object.keys(await dump(t.env.DATABASE_PATH)));
    console.log(
      `backup/restore: ${Object.keys(copy).length} tables, ${Object.values(copy).reduce((n, rows) => n + rows.length, 0)} rows compared exactly`,
    );
  });

  it('refuses to restore a file that is not a tracker database, or over a database that is open', async () => {
    const junk = join(dir, 'junk.sqlite');
    writeFileSync(junk, 'this is not a database');
    const target = join(dir, 'other', 'db.sqlite');
    const r = await cli(['restore', '--from', junk], { DATABASE_PATH: target });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/not an SQLite database|cannot be opened/);
    expect(existsSync(target)).toBe(false);
    const out = join(dir, 'backup2.sqlite');
    expect((await cli(['backup', '--out', out], t.env)).code).toBe(0);
    const live = await cli(['restore', '--from', out], t.env);
    expect(live.code).toBe(2);
    expect(live.err).toContain('stop the server first');
  });

  it('restore --force is refused while a real server process holds the database; after kill -9 no stale lock is left', async () => {
    ensureDist();
    const db = join(dir, 'served', 'db.sqlite');
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const server = spawn(process.execPath, [join(__dirname, '..', 'dist', 'src', 'main.js')], {
      env: { ...process.env, DATABASE_PATH: db, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<string | null>((res) => server.once('exit', (_code, signal) => res(signal)));
    try {
      await new Promise<void>((res, rej) => {
        let out = '';
        server.stdout.on('data', (d) => (out += String(d)) && out.includes('Growth Deal tracker on') && res());
        server.once('exit', (code) => rej(new Error(`server exited with ${code}: ${out}`)));
      });
      const base = `http://127.0.0.1:${port}`;
      const backup = join(dir, 'served-backup.sqlite');
      expect((await cli(['backup', '--out', backup], { DATABASE_PATH: db })).code).toBe(0);

      const refused = await cli(['restore', '--from', backup, '--force'], { DATABASE_PATH: db });
      expect(refused.code).toBe(2);
      expect(refused.err).toContain('held by a running server');
      expect(refused.err).toContain('--force does not override this');
      // The server still serves its own database (it was not swapped underneath it).
      expect((await fetch(`${base}/api/programmes/SSLEP-GD-2014`)).status).toBe(200);
      expect(existsSync(`${db}.restoring`)).toBe(false);
    } finally {
      server.kill('SIGKILL');
    }
    expect(await exited).toBe('SIGKILL');
    // The kernel released the lock with its holder: an exclusive flock is free at once.
    const probe = spawnSync('flock', ['--exclusive', '--nonblock', serverLockPath(db), 'true']);
    expect(probe.status).toBe(0);
    // The killed server left its -wal file: plain restore still refuses it, --force restores.
    const backup = join(dir, 'served-backup.sqlite');
    const plain = await cli(['restore', '--from', backup], { DATABASE_PATH: db });
    expect([plain.code, plain.err.includes('-wal file exists')]).toEqual([2, true]);
    const forced = await cli(['restore', '--from', backup, '--force'], { DATABASE_PATH: db });
    expect([forced.code, forced.err]).toEqual([0, '']);
    expect(Object.keys(await dump(db))).toEqual(Object.keys(await dump(backup)));
  }, 240_000);
});
