import { ENTITIES } from '../src/entities';
import { writeFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { loadConfig } from '../src/config/config';
import { openDataSource } from '../src/database/connect';
import { cli } from './support/cli';
import { databaseKinds } from './support/databases';
import { freshDatabaseEnv, tableCounts } from './support/test-app';

const seedPath = join(__dirname, '..', 'seeds', 'growth-deal-2014.json');

async function counts(env: Record<string, string>): Promise<Record<string, number>> {
  const ds: DataSource = await openDataSource(loadConfig({ ...env }), ENTITIES);
  try {
    return await tableCounts(ds);
  } finally {
    await ds.destroy();
  }
}

describe.each(databaseKinds())('seeding through the CLI on %s', (kind) => {
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ env, cleanup } = await freshDatabaseEnv(kind));
  });
  afterAll(async () => cleanup());

  it('migrates an empty database', async () => {
    const res = await cli(['migrate'], env);
    expect(res.code).toBe(0);
    expect(res.out).toMatch(/applied: Foundation1760000000000/);
  });

  it('refuses a malformed seed naming the file, the path inside it and the reason, writing nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seed-'));
    const bad = JSON.parse(readFileSync(seedPath, 'utf8'));
    bad.allocations[5].project = 'NOWHERE';
    bad.headlines[2].rule.sumOf = ['NO-SUCH-HEADLINE'];
    const file = join(dir, 'bad-seed.json');
    writeFileSync(file, JSON.stringify(bad));
    const before = await counts(env);
    const res = await cli(['seed', '--file', file, '--no-demo'], env);
    expect(res.code).toBe(2);
    expect(res.err).toContain('bad-seed.json');
    expect(res.err).toContain('/allocations/5/project: unknown project "NOWHERE"');
    expect(res.err).toContain('/headlines/2/rule/sumOf: unknown headline "NO-SUCH-HEADLINE"');
    expect(await counts(env)).toEqual(before);
    bad.allocations[5].project = 'MEAFORD';
    bad.headlines[2].rule = {};
    bad.allocations[3].amount = '2400000.0';
    writeFileSync(file, JSON.stringify(bad));
    const shape = await cli(['seed', '--file', file, '--no-demo'], env);
    expect(shape.code).toBe(2);
    expect(shape.err).toContain('/allocations/3/amount: must be pounds with exactly two decimal places');
    expect(await counts(env)).toEqual(before);
  });

  it('refuses a seed that is not JSON', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'seed-')), 'broken.json');
    writeFileSync(file, '{"name": ');
    const res = await cli(['seed', '--file', file], env);
    expect(res.code).toBe(2);
    expect(res.err).toMatch(/broken\.json: \/: cannot be read as JSON/);
  });

  it('loads the 2014 deal once, and a second load does nothing', async () => {
    const first = await cli(['seed', '--no-demo'], env);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/loaded growth-deal-2014 \(SSLEP-GD-2014\)/);
    const after = await counts(env);
    expect(after.project).toBe(8);
    expect(after.allocation).toBe(19);
    expect(after.headline_figure).toBe(39);
    expect(after.theme).toBe(3);
    expect(after.seed_run).toBe(1);
    const second = await cli(['seed', '--no-demo'], env);
    expect(second.code).toBe(0);
    expect(second.out).toContain('already loaded');
    expect(await counts(env)).toEqual(after);
  });

  it('answers --help for every command without touching a database', async () => {
    const top = await cli(['--help'], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(top.code).toBe(0);
    expect(top.out).toContain('seed');
    const sub = await cli(['seed', '--help'], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(sub.code).toBe(0);
    expect(sub.out).toContain('--file');
  });

  it('rejects an unknown command with exit 2', async () => {
    const res = await cli(['frobnicate'], env);
    expect(res.code).toBe(2);
    expect(res.err).toContain("unknown command 'frobnicate'");
  });
});
