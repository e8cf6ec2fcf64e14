import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/bootstrap';
import { AppConfig, loadConfig } from '../../src/config/config';
import { Db } from '../../src/database/db.service';
import { DbKind, dropPgSchema, freshPgSchema, PG_BASE_URL } from './databases';

export interface TestApp {
  kind: DbKind;
  app: NestFastifyApplication;
  config: AppConfig;
  ds: DataSource;
  db: Db;
  /** Environment that points a CLI run or a second process at the same database. */
  env: Record<string, string>;
  request(method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any; text: string; headers: Record<string, unknown> }>;
  close(): Promise<void>;
}

/** Environment for a fresh, empty database of the given kind. */
export async function freshDatabaseEnv(kind: DbKind): Promise<{ env: Record<string, string>; cleanup: () => Promise<void> }> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'gdt-'));
    return { env: { DATABASE_PATH: join(dir, 'test.sqlite') }, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const schema = await freshPgSchema();
  return { env: { DATABASE_URL: PG_BASE_URL, DATABASE_SCHEMA: schema }, cleanup: () => dropPgSchema(schema) };
}

/**
 * Starts the real app (real database, migrations, seed as configured) on a fresh database.
 * Requests go through Fastify's inject: the full HTTP stack without a port.
 */
export async function startTestApp(kind: DbKind, extraEnv: Record<string, string> = {}): Promise<TestApp> {
  const { env: dbEnv, cleanup } = await freshDatabaseEnv(kind);
  const env = { LOG_LEVEL: 'silent', SEED_ON_START: 'true', DEMO_DATA: 'false', ...dbEnv, ...extraEnv };
  const saved: Record<string, string | undefined> = {};
  for (const k of ['DATABASE_URL', 'DATABASE_SCHEMA', 'DATABASE_PATH', 'SEED_ON_START', 'DEMO_DATA']) {
    saved[k] = process.env[k];
    delete process.env[k];
  }
  for (const [k, v] of Object.entries(env)) {
    saved[k] = saved[k] ?? process.env[k];
    process.env[k] = v;
  }
  let app: NestFastifyApplication;
  const config = loadConfig();
  try {
    app = await createApp(config);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  const ds = app.get(DataSource);
  const db = app.get(Db);
  return {
    kind,
    app,
    config,
    ds,
    db,
    env,
    async request(method, url, body, headers = {}) {
      const res = await app.inject({
        method: method as 'GET',
        url,
        payload: body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
        headers: { ...(body !== undefined && typeof body !== 'string' && !Buffer.isBuffer(body) ? { 'content-type': 'application/json' } : {}), ...headers },
      });
      let parsed: unknown = undefined;
      try {
        parsed = res.body ? JSON.parse(res.body) : undefined;
      } catch {
        parsed = undefined;
      }
      return { status: res.statusCode, body: parsed, text: res.body, headers: res.headers as Record<string, unknown> };
    },
    async close() {
      await app.close();
      await cleanup();
    },
  };
}

/** Every table's rows, for "nothing was written" assertions. */
export async function tableCounts(ds: DataSource): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const meta of ds.entityMetadatas) {
    const rows: { n: string | number }[] = await ds.query(`SELECT COUNT(*) AS n FROM ${ds.driver.escape(meta.tableName)}`);
    out[meta.tableName] = Number(rows[0].n);
  }
  return out;
}
