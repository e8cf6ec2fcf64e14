import { Writable } from 'node:stream';
import { ApiToken } from '../src/auth/api-token.entity';
import { databaseKinds } from './support/databases';
import { cli } from './support/cli';
import { freshDatabaseEnv, startTestApp, TestApp } from './support/test-app';

const P = '/api/programmes/SSLEP-GD-2014';

describe.each(databaseKinds())('users, tokens and hardening on %s', (kind) => {
  let t: TestApp;
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk, _enc, cb) {
      logs.push(...String(chunk).split('\n').filter(Boolean));
      cb();
    },
  });
  beforeAll(async () => {
    t = await startTestApp(
      kind,
      {
        AUTH_FAILURE_LIMIT: '3',
        WRITE_RATE_LIMIT: '8',
        CORS_ORIGINS: 'https://dash.example',
        LOG_LEVEL: 'info',
        BODY_LIMIT_BYTES: '4096',
      },
      { logStream },
    );
  });
  afterAll(async () => t?.close());

  it('creates an admin and a token from the CLI; the token is printed once and works', async () => {
    // The test app already has an admin, so a new one is created by a named admin.
    const unnamed = await cli(
      ['user', 'create', '--name', 'Ada Admin', '--email', 'Ada@Example.org', '--role', 'admin'],
      t.env,
    );
    expect([unnamed.code, unnamed.err]).toEqual([
      2,
      "error: as: user create writes as a named user: add --as <email> of a user whose role may do this (admin). The CLI is an operator's tool with database access, so --as is attribution, not authentication\n",
    ]);
    const u = await cli(
      ['user', 'create', '--name', 'Ada Admin', '--email', 'Ada@Example.org', '--role', 'admin', '--as', t.adminEmail],
      t.env,
    );
    expect(u.code).toBe(0);
    expect(u.out).toContain('ada@example.org (admin)');
    const tok = await cli(['token', 'create', '--email', 'ada@example.org', '--days', '30'], t.env);
    expect(tok.code).toBe(0);
    const token = tok.out.trim();
    expect(token).toMatch(/^gdt_[A-Za-z0-9]{16}_[A-Za-z0-9_-]{43}$/);
    expect(tok.err).toContain('shown once');
    const me = await t.anonymous('GET', '/api/auth/me', undefined, { authorization: `Bearer ${token}` });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email: 'ada@example.org', role: 'admin', name: 'Ada Admin' });
    const publicId = token.slice(4, 20);
    const row = await t.ds.getRepository(ApiToken).findOneByOrFail({ publicId });
    // Only the hash is stored; expiry is 30 days out; last use is recorded.
    expect(row.secretSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(token.slice(21));
    expect(Date.parse(row.expiresAt) - Date.parse(row.createdAt)).toBe(30 * 86_400_000);
    expect(row.lastUsedAt).not.toBeNull();
    expect(me.body.tokens.find((x: { publicId: string }) => x.publicId === publicId)).toBeDefined();
    expect(JSON.stringify(me.body)).not.toContain(row.secretSha256);

    const dup = await cli(
      [
        'user',
        'create',
        '--name',
        'Again',
        '--email',
        'ada@example.org',
        '--role',
        'viewer',
        '--as',
        'ada@example.org',
      ],
      t.env,
    );
    expect(dup.code).toBe(2);
    const badRole = await cli(
      ['user', 'create', '--name', 'X', '--email', 'x@example.org', '--role', 'king', '--as', 'ada@example.org'],
      t.env,
    );
    expect(badRole.code).toBe(2);
    expect(badRole.err).toContain('role');

    const revoke = await cli(['token', 'revoke', publicId], t.env);
    expect(revoke.code).toBe(0);
    const after = await t.anonymous('GET', '/api/auth/me', undefined, { authorization: `Bearer ${token}` });
    expect(after.status).toBe(401);
    const list = await cli(['user', 'list'], t.env);
    expect(list.out).toContain('ada@example.org\tadmin\tactive');
  });

  it('creates the first admin on an empty database with nothing else; every later user needs --as an admin', async () => {
    const { env, cleanup } = await freshDatabaseEnv(kind);
    try {
      expect((await cli(['migrate'], env)).code).toBe(0);
      const first = await cli(
        ['user', 'create', '--name', 'First', '--email', 'first@example.org', '--role', 'admin'],
        env,
      );
      expect([first.code, first.err]).toEqual([0, '']);
      const second = await cli(
        ['user', 'create', '--name', 'Two', '--email', 'two@example.org', '--role', 'admin'],
        env,
      );
      expect(second.code).toBe(2);
      expect(second.err).toContain('error: as: user create writes as a named user');
      const viewer = await cli(
        [
          'user',
          'create',
          '--name',
          'Vi',
          '--email',
          'vi@example.org',
          '--role',
          'viewer',
          '--as',
          'first@example.org',
        ],
        env,
      );
      expect([viewer.code, viewer.err]).toEqual([0, '']);
      const byViewer = await cli(
        [
          'user',
          'create',
          '--name',
          'Three',
          '--email',
          'three@example.org',
          '--role',
          'finance',
          '--as',
          'vi@example.org',
        ],
        env,
      );
      expect([byViewer.code, byViewer.err]).toEqual([2, 'error: your role (viewer) may not do this; allowed: admin\n']);
      const list = await cli(['user', 'list'], env);
      expect(
        list.out
          .split('\n')
          .filter(Boolean)
          .map((l) => l.split('\t')[1]),
      ).toEqual(['first@example.org', 'vi@example.org']);
    } finally {
      await cleanup();
    }
  });

  it('refuses an expired token', async () => {
    const tok = await cli(['token', 'create', '--email', 'ada@example.org'], t.env);
    const token = tok.out.trim();
    await t.ds
      .getRepository(ApiToken)
      .update({ publicId: token.slice(4, 20) }, { expiresAt: new Date(Date.now() - 1000).toISOString() });
    const res = await t.anonymous('GET', '/api/auth/me', undefined, { authorization: `Bearer ${token}` });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('UNAUTHENTICATED');
  });

  it('scopes a programme manager to assigned projects, including allocations edited by id', async () => {
    const made = await cli(
      [
        'user',
        'create',
        '--name',
        'Pat PM',
        '--email',
        'pat@example.org',
        '--role',
        'programme_manager',
        '--programme',
        'SSLEP-GD-2014',
        '--projects',
        'ETRURIA,MEAFORD',
        '--as',
        t.adminEmail,
      ],
      t.env,
    );
    expect(made.code).toBe(0);
    expect(made.out).toContain('SSLEP-GD-2014/ETRURIA, SSLEP-GD-2014/MEAFORD');
    const pm = await t.as('programme_manager', { projects: ['ETRURIA'] });
    const own = await pm('PATCH', `${P}/projects/ETRURIA`, { version: 1, location: 'Etruria Valley' });
    expect(own.status).toBe(200);
    expect(own.body.location).toBe('Etruria Valley');
    const other = await pm('PATCH', `${P}/projects/LICHFIELD`, { version: 1, location: 'Elsewhere' });
    expect(other.status).toBe(403);
    expect(other.body.code).toBe('PROJECT_NOT_ASSIGNED');
    const draft = await t.request('POST', `${P}/allocations`, {
      sourceKind: 'LGF',
      project: 'LICHFIELD',
      period: '2016-17',
      amount: '10.00',
      commitmentStatus: 'indicative',
    });
    expect(draft.status).toBe(201);
    const viaId = await pm('PATCH', `${P}/allocations/${draft.body.id}`, { version: 1, amount: '11.00' });
    expect(viaId.status).toBe(403);
    expect(viaId.body.details.field).toBe('id');
    const viewer = await t.as('viewer');
    expect((await viewer('GET', `${P}/projects/LICHFIELD`)).status).toBe(200);
    expect((await viewer('PATCH', `${P}/projects/LICHFIELD`, { version: 1, location: 'x' })).body.code).toBe(
      'ROLE_NOT_ALLOWED',
    );
  });

  it('sends security headers with a CSP, and CORS only to configured origins', async () => {
    const res = await t.anonymous('GET', '/api/docs', undefined, { origin: 'https://dash.example' });
    expect(res.status).toBe(200);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['access-control-allow-origin']).toBe('https://dash.example');
    const other = await t.anonymous('GET', '/api/health', undefined, { origin: 'https://evil.example' });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers a too-large body with 413 in our error shape, and writes nothing', async () => {
    const res = await t.request('POST', `${P}/projects`, { code: 'BIG', name: 'x'.repeat(5000) });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ statusCode: 413, code: 'PAYLOAD_TOO_LARGE' });
    expect(res.body.requestId).toBe(res.headers['x-request-id']);
    expect((await t.request('GET', `${P}/projects/BIG`)).status).toBe(404);
  });

  it('throttles writes per user (429 in our shape) but never reads', async () => {
    const fin = await t.as('finance');
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++)
      statuses.push(
        (await fin('POST', `${P}/allocations`, { sourceKind: 'LGF', period: '2016-17', amount: '1.00' })).status,
      );
    expect(statuses.slice(0, 8).every((s) => s === 400)).toBe(true);
    expect(statuses.slice(8)).toEqual([429, 429]);
    const res = await fin('POST', `${P}/allocations`, {});
    expect(res.body).toMatchObject({ statusCode: 429, code: 'THROTTLED' });
    for (let i = 0; i < 30; i++) expect((await fin('GET', `${P}/projects`)).status).toBe(200);
  });

  it('logs JSON lines with request ids and never the token', async () => {
    const res = await t.request('GET', `${P}/projects`, undefined, { 'x-request-id': 'trace-me-123' });
    expect(res.headers['x-request-id']).toBe('trace-me-123');
    const lines = logs.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.some((l) => l.reqId === 'trace-me-123')).toBe(true);
    expect(logs.join('\n')).not.toContain(t.token.slice(21));
    expect(logs.join('\n')).not.toContain(t.token);
  });

  it('throttles bad tokens per token id (known ids) or per address (unknown ids), never a valid token', async () => {
    const unknown = 'gdt_AAAAAAAAAAAAAAAA_' + 'A'.repeat(43);
    const get = (token: string) => t.anonymous('GET', `${P}/projects`, undefined, { authorization: `Bearer ${token}` });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await get(unknown)).status);
    // Three failures are free (AUTH_FAILURE_LIMIT), then the address's unknown ids wait, rising from 1 s.
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    const locked = await get(unknown);
    expect(locked.body).toMatchObject({ code: 'THROTTLED' });
    expect(Number(locked.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // A valid token from the same address is never refused for those failures.
    expect((await t.request('GET', `${P}/projects`)).status).toBe(200);

    // A known id with a wrong secret: its failures count against that id, from any address.
    const victim = await t.tokenFor('viewer');
    const wrong = victim.slice(0, 21) + (victim[21] === 'A' ? 'B' : 'A') + victim.slice(22);
    const byId: number[] = [];
    for (let i = 0; i < 4; i++) byId.push((await get(wrong)).status);
    expect(byId).toEqual([401, 401, 401, 429]);
    // ... and its owner still gets in with the right secret.
    expect((await get(victim)).status).toBe(200);
    // Public routes need no token and stay open.
    expect((await t.anonymous('GET', '/api/health')).status).toBe(200);
  });
});
