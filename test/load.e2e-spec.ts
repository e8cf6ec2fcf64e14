import { AddressInfo } from 'node:net';
import { formatPounds, parsePounds } from '../src/common/money';
import { databaseKinds } from './support/databases';
import { startTestApp, TestApp } from './support/test-app';

/**
 * A bounded loopback load test: CLIENTS concurrent clients, each with its own token, make
 * ATTEMPTS_PER_CLIENT read-then-write edits of the same projects over real HTTP on 127.0.0.1:
 * the projects themselves, their draft allocations, their milestones' forecast dates and their
 * spend forecasts. Accepted writes, 409 conflicts and 429 throttles are counted separately.
 * Afterwards, per record: versions advanced by exactly the number of accepted writes, each
 * accepted write has its own version and its audit entry, and the stored value is the last
 * accepted one (lost writes zero); each project's forecast total equals the sum of its lines'
 * final values as this test computes them from its own log (totals exact).
 */
const P = '/api/programmes/SSLEP-GD-2014';
const CLIENTS = 24;
// Clients c and c + LANES share a lane and edit the same record at the same step (conflicts are certain); the rest edit alone.
const LANES = 16;
const PROJECTS = ['AMSH', 'BERICOTE', 'BRANSTON', 'ETRURIA', 'LICHFIELD', 'LSTP', 'MEAFORD', 'SWAR'];
const SPEND_QUARTERS = ['2016-17 Q1', '2016-17 Q2'];
const ATTEMPTS_PER_CLIENT = 20;
const TIME_LIMIT_MS = 60_000;
// Per user per minute: a client's last attempt is throttled, so 429s are exercised too.
const WRITE_RATE_LIMIT = ATTEMPTS_PER_CLIENT - 1;

type Call = (method: string, url: string, body?: unknown) => Promise<{ status: number; body: any }>;

/** Something many clients edit: read its version and value, write a value at a version. */
interface Target {
  name: string;
  /** The audit trail's entity, id and action for an accepted write. */
  audit: { entity: string; id: string; action: string; field: string };
  project: string;
  read(call: Call): Promise<{ version: number; value: string }>;
  write(call: Call, version: number, value: string): ReturnType<Call>;
  /** A value unique to client c's n-th edit. */
  valueFor(c: number, n: number): string;
  /** Spend lines: the value counts in the project's forecast total. */
  spend?: boolean;
}

const dateAfter = (from: string, days: number) =>
  new Date(Date.parse(`${from}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

function patchTarget(
  name: string,
  url: string,
  entity: string,
  id: string,
  field: string,
  project: string,
  valueFor: Target['valueFor'],
): Target {
  return {
    name,
    audit: { entity, id, action: 'update', field },
    project,
    async read(call) {
      const b = (await call('GET', url)).body;
      return { version: b.version, value: b[field] };
    },
    write: (call, version, value) => call('PATCH', url, { version, [field]: value }),
    valueFor,
  };
}

function spendTarget(project: string, sourceKind: string, quarter: string, lineId: number): Target {
  const url = `${P}/projects/${project}/spend`;
  return {
    name: `spend forecast ${project} ${sourceKind} ${quarter}`,
    audit: { entity: 'spend_profile', id: String(lineId), action: 'set_forecast', field: 'forecast' },
    project,
    spend: true,
    async read(call) {
      const line = (await call('GET', url)).body.profile.find((l: any) => l.id === lineId);
      return { version: line.version, value: line.forecast };
    },
    write: (call, version, forecast) => call('PUT', `${url}/forecast`, { sourceKind, quarter, version, forecast }),
    valueFor: (c, n) => formatPounds(100_000 * (1 + c) + 101 * n + 7),
  };
}

describe.each(databaseKinds())('concurrent editors on %s (loopback load test)', (kind) => {
  let t: TestApp;
  let base: string;
  let targets: Target[];
  beforeAll(async () => {
    t = await startTestApp(kind, { WRITE_RATE_LIMIT: String(WRITE_RATE_LIMIT) });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    // The setup's writes are spread over admins of their own, each well under the write limit.
    let admin = t.request;
    const ok = async (method: string, url: string, body: unknown) => {
      const r = await admin(method, url, body);
      if (r.status >= 300) throw new Error(`${method} ${url} → ${r.status} ${r.text}`);
      return r.body;
    };
    const programme = (await t.request('GET', P)).body;
    targets = [];
    for (const [i, p] of PROJECTS.entries()) {
      admin = await t.as('admin');
      const id = String((await t.request('GET', `${P}/projects/${p}`)).body.id);
      const draft = await ok('POST', `${P}/allocations`, {
        sourceKind: 'LGF',
        project: p,
        period: '2017-18',
        amount: '100.00',
        commitmentStatus: 'indicative',
      });
      const ms = await ok('POST', `${P}/projects/${p}/milestones`, {
        kind: 'start_on_site',
        title: `Start on site (${p})`,
        baselineDate: '2017-06-01',
      });
      // A spend line per quarter, of a project-level source kind the project holds.
      const sourceKind = (await t.request('GET', `${P}/allocations?project=${p}`)).body.items.find(
        (a: any) => a.project === p && a.approvalState === 'approved',
      ).sourceKind;
      targets.push(
        patchTarget(
          `project ${p}`,
          `${P}/projects/${p}`,
          'project',
          id,
          'location',
          p,
          (c, n) => `client ${c} edit ${n}`,
        ),
      );
      targets.push(
        patchTarget(
          `draft allocation ${draft.id}`,
          `${P}/allocations/${draft.id}`,
          'allocation',
          String(draft.id),
          'description',
          p,
          (c, n) => `client ${c} edit ${n}`,
        ),
      );
      targets.push(
        patchTarget(
          `milestone ${ms.id} (${p})`,
          `${P}/milestones/${ms.id}`,
          'milestone',
          String(ms.id),
          'forecastDate',
          p,
          (c, n) => dateAfter(programme.startsOn, c * ATTEMPTS_PER_CLIENT + n),
        ),
      );
      for (const [k, quarter] of SPEND_QUARTERS.entries()) {
        const line = await ok('PUT', `${P}/projects/${p}/spend/forecast`, {
          sourceKind,
          quarter,
          forecast: formatPounds(1_000_00 * (i + 1) + k),
        });
        targets.push(spendTarget(p, sourceKind, quarter, line.id));
      }
    }
  }, 60_000);
  afterAll(async () => t?.close());

  it('loses no accepted write; conflicts get 409 and throttled requests 429; totals exact', async () => {
    const tokens = await Promise.all(
      Array.from({ length: CLIENTS }, () => t.tokenFor('programme_manager', { projects: PROJECTS })),
    );
    const call =
      (token: string): Call =>
      async (method, url, body) => {
        const res = await fetch(base + url, {
          method,
          headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
          body: body ? JSON.stringify(body) : undefined,
        });
        return { status: res.status, body: (await res.json().catch(() => undefined)) as any };
      };
    const admin = call(t.token);
    const start = new Map<Target, { version: number; value: string }>();
    for (const tg of targets) start.set(tg, await tg.read(admin));
    const auditFrom: number = Number((await t.ds.query('SELECT COALESCE(MAX(id), 0) AS n FROM audit_entry'))[0].n);

    const accepted: { target: Target; version: number; value: string }[] = [];
    const counts = { attempts: 0, accepted: 0, conflicts: 0, throttled: 0, other: 0 };
    const byKind: Record<string, { accepted: number; conflicts: number }> = {};
    const others: string[] = [];
    const deadline = Date.now() + TIME_LIMIT_MS;
    const started = Date.now();
    await Promise.all(
      tokens.map(async (token, c) => {
        const as = call(token);
        for (let n = 0; n < ATTEMPTS_PER_CLIENT && Date.now() < deadline; n++) {
          const target = targets[((c % LANES) * 3 + n) % targets.length];
          const kindOf = (byKind[target.audit.entity] ??= { accepted: 0, conflicts: 0 });
          const read = await target.read(as);
          const value = target.valueFor(c, n);
          const res = await target.write(as, read.version, value);
          counts.attempts++;
          if (res.status === 200) {
            counts.accepted++;
            kindOf.accepted++;
            accepted.push({ target, version: res.body.version, value });
          } else if (res.status === 409) {
            counts.conflicts++;
            kindOf.conflicts++;
          } else if (res.status === 429) counts.throttled++;
          else {
            counts.other++;
            others.push(`${target.name}: ${res.status} ${JSON.stringify(res.body)}`);
          }
        }
      }),
    );
    const elapsed = Date.now() - started;

    // Per record: every accepted write has its own version and its audit entry; the last one is stored.
    const lostIn: string[] = [];
    const audit: { entity: string; entity_id: string; action: string; after: string }[] = await t.ds.query(
      `SELECT entity, entity_id, action, after FROM audit_entry WHERE id > ${auditFrom}`,
    );
    const finalValue = new Map<Target, string>();
    for (const tg of targets) {
      const mine = accepted.filter((a) => a.target === tg).sort((a, b) => a.version - b.version);
      const v0 = start.get(tg)!.version;
      const now = await tg.read(admin);
      finalValue.set(tg, now.value);
      const versions = mine.map((a) => a.version);
      const expectedVersions = mine.map((_, i) => v0 + 1 + i);
      if (JSON.stringify(versions) !== JSON.stringify(expectedVersions))
        lostIn.push(`${tg.name}: accepted versions ${versions} (expected ${expectedVersions})`);
      if (now.version !== v0 + mine.length)
        lostIn.push(`${tg.name}: version ${now.version} after ${mine.length} accepted writes from ${v0}`);
      const expectedValue = mine.length ? mine[mine.length - 1].value : start.get(tg)!.value;
      if (now.value !== expectedValue) lostIn.push(`${tg.name}: stored ${now.value}, last accepted ${expectedValue}`);
      const audited = audit
        .filter((a) => a.entity === tg.audit.entity && a.entity_id === tg.audit.id && a.action === tg.audit.action)
        .map((a) => JSON.parse(a.after) as Record<string, unknown>);
      const auditedWrites = audited.map((a) => `${a.version}:${a[tg.audit.field]}`).sort();
      const acceptedWrites = mine.map((a) => `${a.version}:${a.value}`).sort();
      if (JSON.stringify(auditedWrites) !== JSON.stringify(acceptedWrites))
        lostIn.push(`${tg.name}: audited ${auditedWrites.length} writes, accepted ${acceptedWrites.length}`);
    }

    // Totals: each project's forecast (every quarter is open: no return submitted) is the sum of its lines, computed here from the log.
    const summary = (await admin('GET', `${P}/spend`)).body;
    const totalProblems: string[] = [];
    let programmeExpected = 0;
    for (const p of PROJECTS) {
      const expected = targets
        .filter((tg) => tg.spend && tg.project === p)
        .reduce((s, tg) => s + parsePounds(finalValue.get(tg)!), 0);
      programmeExpected += expected;
      const got = summary.byProject.find((x: any) => x.project === p)?.forecastProgramme;
      if (got !== formatPounds(expected))
        totalProblems.push(`${p}: forecast ${got}, lines sum to ${formatPounds(expected)}`);
    }
    if (summary.programme.forecastProgramme !== formatPounds(programmeExpected))
      totalProblems.push(
        `programme: forecast ${summary.programme.forecastProgramme}, lines sum to ${formatPounds(programmeExpected)}`,
      );

    const spendWrites = targets.filter((tg) => tg.spend).length;
    console.log(
      `load (${kind}): ${CLIENTS} concurrent clients on 127.0.0.1, ${counts.attempts} write attempts (+${counts.attempts} reads) on ${targets.length} shared records of ${PROJECTS.length} projects ` +
        `(${PROJECTS.length} projects, ${PROJECTS.length} draft allocations, ${PROJECTS.length} milestone forecast dates, ${spendWrites} spend forecast lines) in ${elapsed} ms: ` +
        `accepted ${counts.accepted}, 409 conflicts ${counts.conflicts}, 429 throttled ${counts.throttled}, other ${counts.other}; by record kind ${JSON.stringify(byKind)}; ` +
        `lost writes ${lostIn.length}; forecast totals checked ${PROJECTS.length + 1}, wrong ${totalProblems.length} (programme forecast £${summary.programme.forecastProgramme})`,
    );
    expect(others).toEqual([]);
    expect(counts.attempts).toBe(CLIENTS * ATTEMPTS_PER_CLIENT);
    expect(counts.accepted + counts.conflicts + counts.throttled).toBe(counts.attempts);
    expect(lostIn).toEqual([]);
    expect(totalProblems).toEqual([]);
    expect(counts.accepted).toBeGreaterThanOrEqual(counts.attempts / 2);
    expect(counts.conflicts).toBeGreaterThanOrEqual(1);
    expect(counts.throttled).toBe(CLIENTS * (ATTEMPTS_PER_CLIENT - WRITE_RATE_LIMIT));
    // Milestones and spend forecasts were really contended, not just edited.
    for (const k of ['milestone', 'spend_profile']) expect(byKind[k].accepted).toBeGreaterThan(0);
  }, 120_000);
});
