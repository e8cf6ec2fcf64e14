import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createApp } from '../bootstrap';
import { loadConfig } from '../config/config';
import { GenerateResult, GeneratorService } from '../generator/generator.service';
import { GeneratorParams } from '../generator/plan';
import { openRawPostgres, openRawSqlite, RawDb } from './raw-driver';
import { timeOnce } from './timing';

export const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** One generated dataset in a fresh database, with the app and the raw driver both open on it. */
export interface BenchTarget {
  kind: 'sqlite' | 'postgres';
  app: NestFastifyApplication;
  raw: RawDb;
  dataset: GenerateResult;
  generateMs: number;
  /** The database settings the app was built with (for child processes that open the same data). */
  env: Record<string, string>;
  close(): Promise<void>;
}

/** The app is built from environment variables (validated config): set them for the build only. */
async function withEnv<T>(env: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved: Record<string, string | undefined> = {};
  for (const k of ['DATABASE_URL', 'DATABASE_SCHEMA', 'DATABASE_PATH', ...Object.keys(env)]) {
    saved[k] = process.env[k];
    delete process.env[k];
  }
  Object.assign(process.env, env);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

export async function openTarget(
  kind: 'sqlite' | 'postgres',
  params: GeneratorParams,
  pgUrl = DEFAULT_PG_URL,
  onProgress?: (done: number, total: number) => void,
): Promise<BenchTarget> {
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;
  let rawOpen: () => Promise<RawDb>;
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'gdt-bench-'));
    const path = join(dir, 'bench.sqlite');
    env = { DATABASE_PATH: path };
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
    rawOpen = () => openRawSqlite(path);
  } else {
    const schema = `bench_${randomBytes(5).toString('hex')}`;
    const c = new Client({ connectionString: pgUrl });
    await c.connect();
    await c.query(`CREATE SCHEMA "${schema}"`);
    await c.end();
    env = { DATABASE_URL: pgUrl, DATABASE_SCHEMA: schema };
    cleanup = async () => {
      const d = new Client({ connectionString: pgUrl });
      await d.connect();
      await d.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await d.end();
    };
    rawOpen = () => openRawPostgres(pgUrl, schema);
  }
  const app = await withEnv({ ...env, LOG_LEVEL: 'silent', SEED_ON_START: 'false', DEMO_DATA: 'false' }, async () => {
    const a = await createApp(loadConfig());
    await a.init();
    return a;
  });
  let dataset!: GenerateResult;
  const generateMs = await timeOnce(
    async () => (dataset = await app.get(GeneratorService).generate(params, undefined, onProgress)),
  );
  // The generator leaves PostgreSQL vacuumed and analysed, as autovacuum would some time later.
  const raw = await rawOpen();
  return {
    kind,
    app,
    raw,
    dataset,
    generateMs,
    env,
    async close() {
      await raw.close();
      await app.close();
      await cleanup();
    },
  };
}
