import { AddressInfo } from 'node:net';
import { databaseKinds } from './support/databases';
import { startTestApp, TestApp } from './support/test-app';

/**
 * A bounded loopback load test: CLIENTS concurrent clients, each with its own token, make
 * ATTEMPTS_PER_CLIENT read-then-write edits of the same few projects' and drafts' fields over
 * real HTTP on 127.0.0.1. Accepted writes, 409 conflicts and 429 throttles are counted
 * separately; afterwards every accepted write must be in the audit trail with its own version,
 * versions must have advanced exactly once per accepted write, and the stored value must be
 * the last accepted one: lost writes zero.
 */
const P = '/api/programmes/SSLEP-GD-2014';
const CLIENTS = 24;
const PROJECTS = ['AMSH', 'BERICOTE', 'BRANSTON', 'ETRURIA', 'LICHFIELD', 'LSTP', 'MEAFORD', 'SWAR'];
const ATTEMPTS_PER_CLIENT = 20;
const TIME_LIMIT_MS = 60_000;
// Per user per minute: a client's last attempt is throttled, so 429s are exercised too.
const WRITE_RATE_LIMIT = ATTEMPTS_PER_CLIENT - 1;

/** Something many clients edit: GET `url` returns `{ version, [field] }`, PATCH it with `{ version, [field]: value }`. */
interface Target {
  name: string;
  url: string;
  entity: string;
  field: string;
}
// Milestones and forecasts (other features) join here with one line each.
const targetsFor = (draftIds: number[]): Target[] => [
  ...PROJECTS.map((p) => ({ name: `project ${p}`, url: `${P}/projects/${p}`, entity: 'project', field: 'location' })),
  ...draftIds.map((id) => ({ name: `draft allocation ${id}`, url: `${P}/allocations/${id}`, entity: 'allocation', field: 'description' })),
];

describe.each(databaseKinds())('concurrent editors on %s (loopback load test)', (kind) => {
  let t: TestApp;
  let base: string;
  let targets: Target[];
  beforeAll(async () => {
    t = await startTestApp(kind, { WRITE_RATE_LIMIT: String(WRITE_RATE_LIMIT) });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    const drafts: number[] = [];
    for (const project of PROJECTS) {
      const d = await t.request('POST', `${P}/allocations`, { sourceKind: 'LGF', project, period: '2017-18', amount: '100.00', commitmentStatus: 'indicative' });
      drafts.push(d.body.id);
    }
    targets = targetsFor(drafts);
  });
  afterAll(async () => t?.close());

  it('loses no accepted write; conflicts get 409 and throttled requests 429', async () => {
    const tokens = await Promise.all(Array.from({ length: CLIENTS }, () => t.tokenFor('programme_manager', { projects: PROJECTS })));
    const startVersion = new Map<string, number>();
    for (const tg of targets) startVersion.set(tg.name, (await t.request('GET', tg.url)).body.version);
    const auditFrom: number = Number((await t.ds.query('SELECT COALESCE(MAX(id), 0) AS n FROM audit_entry'))[0].n);

    const accepted: { target: Target; version: number; value: string }[] = [];
    const counts = { attempts: 0, accepted: 0, conflicts: 0, throttled: 0, other: 0 };
    const others: string[] = [];
    const deadline = Date.now() + TIME_LIMIT_MS;
    const started = Date.now();
    const call = async (token: string, method: string, url: string, body?: unknown) => {
      const res = await fetch(base + url, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
      return { status: res.status, body: (await res.json().catch(() => undefined)) as any };
    };
    await Promise.all(
      tokens.map(async (token, c) => {
        for (let n = 0; n < ATTEMPTS_PER_CLIENT && Date.now() < deadline; n++) {
          const target = targets[(c + n) % targets.length];
          const read = await call(token, 'GET', target.url);
          const value = `client ${c} edit ${n}`;
          const res = await call(token, 'PATCH', target.url, { version: read.body.version, [target.field]: value });
          counts.attempts++;
          if (res.status === 200) {
            counts.accepted++;
            accepted.push({ target, version: res.body.version, value });
          } else if (res.status === 409) counts.conflicts++;
          else if (res.status === 429) counts.throttled++;
          else {
            counts.other++;
            others.push(`${res.status} ${JSON.stringify(res.body)}`);
          }
        }
      }),
    );
    const elapsed = Date.now() - started;

    // Every accepted write: its own version, present in the audit trail, the last one stored.
    let lost = 0;
    const audit: { entity: string; entity_id: string; after: string }[] = await t.ds.query(`SELECT entity, entity_id, after FROM audit_entry WHERE id > ${auditFrom} AND action = 'update'`);
    for (const tg of targets) {
      const mine = accepted.filter((a) => a.target === tg).sort((a, b) => a.version - b.version);
      const now = (await t.request('GET', tg.url)).body;
      const v0 = startVersion.get(tg.name)!;
      const versions = mine.map((a) => a.version);
      const expectedVersions = Array.from({ length: mine.length }, (_, i) => v0 + 1 + i);
      if (JSON.stringify(versions) !== JSON.stringify(expectedVersions)) lost += Math.max(1, mine.length - new Set(versions).size);
      if (now.version !== v0 + mine.length) lost += Math.abs(now.version - (v0 + mine.length));
      if (mine.length && now[tg.field] !== mine[mine.length - 1].value) lost++;
      const audited = audit.map((a) => JSON.parse(a.after) as Record<string, unknown>).filter((a, i) => audit[i].entity === tg.entity && a.version !== undefined && (tg.entity !== 'project' || a.code === tg.url.split('/').pop()) && (tg.entity !== 'allocation' || String(a.id) === tg.url.split('/').pop()));
      const auditedValues = audited.map((a) => a[tg.field]).sort();
      const acceptedValues = mine.map((a) => a.value).sort();
      for (const v of acceptedValues) if (!auditedValues.includes(v)) lost++;
      if (auditedValues.length !== acceptedValues.length) lost += Math.abs(auditedValues.length - acceptedValues.length);
    }
    console.log(
      `load (${kind}): ${CLIENTS} concurrent clients on 127.0.0.1, ${counts.attempts} write attempts (+${counts.attempts} reads) on ${targets.length} shared records in ${elapsed} ms: ` +
        `accepted ${counts.accepted}, 409 conflicts ${counts.conflicts}, 429 throttled ${counts.throttled}, other ${counts.other}; lost writes ${lost}`,
    );
    expect(others).toEqual([]);
    expect(counts.attempts).toBe(CLIENTS * ATTEMPTS_PER_CLIENT);
    expect(counts.accepted + counts.conflicts + counts.throttled).toBe(counts.attempts);
    expect(lost).toBe(0);
    expect(counts.accepted).toBeGreaterThanOrEqual(counts.attempts / 2);
    expect(counts.conflicts).toBeGreaterThanOrEqual(1);
    expect(counts.throttled).toBe(CLIENTS * (ATTEMPTS_PER_CLIENT - WRITE_RATE_LIMIT));
  });
});
