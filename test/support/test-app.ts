import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { createApp, CreateAppOptions } from '../../src/bootstrap';
import { AppConfig, loadConfig } from '../../src/config/config';
import { SYSTEM_ACTOR } from '../../src/auth/actor';
import { AuthService } from '../../src/auth/auth.service';
import { Role } from '../../src/auth/roles.decorator';
import { Db } from '../../src/database/db.service';
import { DbKind } from './databases';
import { freshDatabaseEnv, templatedDatabaseEnv } from './db-templates';

export interface TestResponse {
  status: number;
  body: any;
  text: string;
  headers: Record<string, unknown>;
}

/** method, url, optional JSON (or raw string/Buffer) body, optional headers. */
export type RequestFn = (
  method: string,
  url: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<TestResponse>;

export interface AsOptions {
  /** Project codes assigned to a programme manager. */
  projects?: string[];
  /** Their programme (default: the seeded 2014 deal). */
  programme?: string;
}

export interface TestApp {
  kind: DbKind;
  app: NestFastifyApplication;
  config: AppConfig;
  ds: DataSource;
  db: Db;
  /** Environment that points a CLI run or a second process at the same database. */
  env: Record<string, string>;
  /**
   * Sends a request as the test admin (created at start). Pass an `authorization` header to
   * override it, or an empty `authorization` to send none.
   */
  request: RequestFn;
  /** The test admin's bearer token. */
  token: string;
  /** How the test admin appears as an actor in the audit trail and change requests. */
  adminActor: string;
  /** The test admin's email (the CLI's `--as`). */
  adminEmail: string;
  /** GET as the test admin, keeping the body as raw bytes (downloads, hashes). */
  getBytes(
    url: string,
    headers?: Record<string, string>,
  ): Promise<{ status: number; bytes: Buffer; headers: Record<string, unknown> }>;
  /** Requests with no Authorization header. */
  anonymous: RequestFn;
  /** A new user of that role (with a fresh token); requests as them. */
  as(role: Role, opts?: AsOptions): Promise<RequestFn>;
  /** A new user of that role and their bearer token (for clients outside inject, e.g. the load test). */
  tokenFor(role: Role, opts?: AsOptions): Promise<string>;
  /** A new user of that role; their email (for the CLI's `--as`). Named `Test <role> <n>`. */
  userFor(role: Role, opts?: AsOptions): Promise<string>;
  close(): Promise<void>;
}

export { freshDatabaseEnv };

/** How a test app starts. */
export interface TestAppOptions extends CreateAppOptions {
  /**
   * Start on a truly empty database, running every migration and the loaders from nothing.
   * By default the app starts on a copy of a database that the same start-up already built once
   * in this test process (see db-templates.ts): the same content, seconds sooner.
   */
  fromEmpty?: boolean;
  /**
   * PostgreSQL: wait for the disk at every commit, as a production server does. Test databases
   * otherwise commit asynchronously, and VACUUM then cannot mark freshly written pages
   * all-visible, so plans that rely on index-only scans need this.
   */
  synchronousCommit?: boolean;
}

/** Builds and initialises the app with `env` set in the process environment while it boots. */
async function bootApp(
  env: Record<string, string>,
  opts: CreateAppOptions,
): Promise<{ app: NestFastifyApplication; config: AppConfig }> {
  const saved: Record<string, string | undefined> = {};
  for (const k of ['DATABASE_URL', 'DATABASE_SCHEMA', 'DATABASE_PATH', 'SEED_ON_START', 'DEMO_DATA']) {
    saved[k] = process.env[k];
    delete process.env[k];
  }
  for (const [k, v] of Object.entries(env)) {
    saved[k] = saved[k] ?? process.env[k];
    process.env[k] = v;
  }
  try {
    const config = loadConfig();
    const app = await createApp(config, opts);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    return { app, config };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/**
 * Starts the real app (real database, migrations, seed as configured) on a fresh database.
 * Requests go through Fastify's inject: the full HTTP stack without a port.
 */
export async function startTestApp(
  kind: DbKind,
  extraEnv: Record<string, string> = {},
  options: TestAppOptions = {},
): Promise<TestApp> {
  const { fromEmpty, synchronousCommit, ...opts } = options;
  const content = { LOG_LEVEL: 'silent', SEED_ON_START: 'true', DEMO_DATA: 'false', ...extraEnv };
  const { env: dbEnv, cleanup } = fromEmpty
    ? await freshDatabaseEnv(kind, synchronousCommit)
    : await templatedDatabaseEnv(
        kind,
        content,
        async (tplEnv) => {
          const built = await bootApp({ ...content, LOG_LEVEL: 'silent', ...tplEnv }, {});
          await built.app.close();
        },
        synchronousCommit,
      );
  const env = { ...content, ...dbEnv };
  const { app, config } = await bootApp(env, opts);
  const ds = app.get(DataSource);
  const db = app.get(Db);
  const auth = app.get(AuthService);
  let users = 0;
  const userFor = async (role: Role, opts: AsOptions = {}): Promise<string> => {
    const n = ++users;
    const email = `${role.replace('_', '-')}-${n}@test.invalid`;
    await auth.createUser(
      {
        name: `Test ${role} ${n}`,
        email,
        role,
        projects: opts.projects,
        programme: opts.projects?.length ? (opts.programme ?? 'SSLEP-GD-2014') : undefined,
      },
      SYSTEM_ACTOR,
    );
    return email;
  };
  const tokenFor = async (role: Role, opts: AsOptions = {}): Promise<string> =>
    (await auth.createToken(await userFor(role, opts), 1, 'test', SYSTEM_ACTOR)).token;
  const send = async (
    method: string,
    url: string,
    body: unknown,
    headers: Record<string, string>,
    token: string | undefined,
  ): Promise<TestResponse> => {
    const bearer: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    const given = { ...headers };
    if ('authorization' in given) {
      delete bearer.authorization;
      if (!given.authorization) delete given.authorization;
    }
    const res = await app.inject({
      method: method as 'GET',
      url,
      payload:
        body === undefined
          ? undefined
          : typeof body === 'string' || Buffer.isBuffer(body)
            ? body
            : JSON.stringify(body),
      headers: {
        ...(body !== undefined && typeof body !== 'string' && !Buffer.isBuffer(body)
          ? { 'content-type': 'application/json' }
          : {}),
        ...bearer,
        ...given,
      },
    });
    let parsed: unknown = undefined;
    try {
      parsed = res.body ? JSON.parse(res.body) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.statusCode, body: parsed, text: res.body, headers: res.headers as Record<string, unknown> };
  };
  const adminToken = await tokenFor('admin');
  const as =
    (token: string | undefined): RequestFn =>
    (method, url, body, headers = {}) =>
      send(method, url, body, headers, token);
  return {
    kind,
    app,
    config,
    ds,
    db,
    env,
    token: adminToken,
    adminActor: 'Test admin 1 <admin-1@test.invalid>',
    adminEmail: 'admin-1@test.invalid',
    async getBytes(url, headers = {}) {
      const res = await app.inject({
        method: 'GET',
        url,
        headers: { authorization: `Bearer ${adminToken}`, ...headers },
      });
      return { status: res.statusCode, bytes: res.rawPayload, headers: res.headers as Record<string, unknown> };
    },
    request: as(adminToken),
    anonymous: as(undefined),
    as: async (role, opts) => as(await tokenFor(role, opts)),
    tokenFor,
    userFor,
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
    const rows: { n: string | number }[] = await ds.query(
      `SELECT COUNT(*) AS n FROM ${ds.driver.escape(meta.tableName)}`,
    );
    out[meta.tableName] = Number(rows[0].n);
  }
  return out;
}
