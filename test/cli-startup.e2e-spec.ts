import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI_JS, ensureDist } from './support/dist';

/**
 * What a command loads, seen from a real CLI process: a preloaded hook writes every file the
 * process required. `--help` must load no Nest, ORM or driver; `reconcile` only its own feature.
 */
describe('command line start-up loads only what the command needs (real process)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gdt-cli-startup-'));
  const hook = join(dir, 'hook.js');
  const env: Record<string, string | undefined> = {
    ...process.env,
    DATABASE_PATH: join(dir, 'db.sqlite'),
    LOG_LEVEL: 'silent',
  };
  delete env.DATABASE_URL;
  delete env.DATABASE_SCHEMA;

  beforeAll(() => {
    ensureDist();
    writeFileSync(
      hook,
      `const M = require('module'); const fs = require('fs'); const seen = new Set();
       const r = M._resolveFilename; M._resolveFilename = function (...a) { const f = r.apply(this, a); seen.add(f); return f; };
       process.on('exit', () => fs.writeFileSync(process.env.LOADED_OUT, [...seen].join('\\n')));`,
    );
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = (args: string[]) => {
    const out = join(dir, `loaded-${args.join('_').replace(/\W+/g, '_')}.txt`);
    const r = spawnSync(process.execPath, ['--require', hook, CLI_JS, ...args], {
      env: { ...env, LOADED_OUT: out },
      encoding: 'utf8',
      timeout: 120_000,
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr, loaded: readFileSync(out, 'utf8').split('\n') };
  };
  const packages = (loaded: string[]) =>
    new Set(loaded.map((f) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(f)?.[1]).filter(Boolean));
  const HEAVY = ['@nestjs/core', '@nestjs/common', 'typeorm', 'sqlite3', 'pg', 'class-validator', 'exceljs'];

  it('--help and every command group’s help load no Nest, no ORM, no driver', () => {
    for (const args of [
      ['--help'],
      ['return', 'export', '--help'],
      ['user', 'create', '--help'],
      ['reconcile', '--help'],
    ]) {
      const r = run(args);
      expect({ args, code: r.code }).toEqual({ args, code: 0 });
      const loaded = packages(r.loaded);
      expect({ args, heavy: HEAVY.filter((p) => loaded.has(p)) }).toEqual({ args, heavy: [] });
    }
    const help = run(['--help']).stdout;
    for (const c of ['reconcile', 'breakdown', 'national-breakdown', 'return', 'seed', 'generate', 'bench'])
      expect(help).toMatch(new RegExp(`^\\s+${c}\\b`, 'm'));
  });

  it('an argument error is reported without loading Nest (exit 2)', () => {
    const r = run(['reconcile']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("required option '--programme <code>' not specified");
    expect(packages(r.loaded).has('@nestjs/core')).toBe(false);
  });

  it('reconcile opens a context of its own feature only: no HTTP layer, no other feature’s services', () => {
    const seeded = run(['seed', '--no-demo']);
    expect(seeded.code).toBe(0);
    const r = run(['reconcile', '--programme', 'SSLEP-GD-2014', '--format', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.programme.code).toBe('SSLEP-GD-2014');
    expect(report.summary.lines).toBeGreaterThan(0);
    const loaded = packages(r.loaded);
    for (const p of ['@nestjs/core', 'typeorm', 'sqlite3']) expect(loaded.has(p)).toBe(true);
    // The configuration is checked in plain code, so no class-validator (nor what it brings) either.
    for (const p of [
      '@nestjs/swagger',
      '@nestjs/platform-fastify',
      'fastify',
      'exceljs',
      'pg',
      'class-validator',
      'class-transformer',
      'libphonenumber-js',
    ])
      expect({ p, loaded: loaded.has(p) }).toEqual({ p, loaded: false });
    const features = new Set(
      r.loaded.map((f) => /dist\/src\/([^/]+)\/[^/]+\.service\.js$/.exec(f)?.[1]).filter(Boolean),
    );
    expect([...features].sort()).toEqual(['audit', 'database', 'reconciliation']);
  });
});
