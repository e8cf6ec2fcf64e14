import { AddressInfo } from 'node:net';
import { formatPounds, parsePounds } from '../src/common/money';
import { databaseKinds } from './support/databases';
import { envelopeRace, etruriaLgf } from './support/envelope-race';
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
 *
 * Then, under the same load, the serialised check-then-writes (src/database/serialise.ts) are
 * raced, each kind alongside the others: two prior-period adjustments that together would take
 * a submitted quarter's spend below zero, two approvals that each fit the envelope's headroom
 * alone, the same output claim twice, and a return's submission against actual writes for its
 * quarter. The invariants are checked from the API afterwards.
 */
const P = '/api/programmes/SSLEP-GD-2014';
const CLIENTS = 24;
// Clients c and c + LANES share a lane and edit the same record at the same step (conflicts are certain); the rest edit alone.
const LANES = 16;
const PROJECTS = ['AMSH', 'BERICOTE', 'BRANSTON', 'ETRURIA', 'LICHFIELD', 'LSTP', 'MEAFORD', 'SWAR'];
const SPEND_QUARTERS = ['2016-17 Q1', '2016-17 Q2'];
const ATTEMPTS_PER_CLIENT = 20;
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
  }, 180_000);
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
    const started = Date.now();
    await Promise.all(
      tokens.map(async (token, c) => {
        const as = call(token);
        for (let n = 0; n < ATTEMPTS_PER_CLIENT; n++) {
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
    // The limit is per minute: when the machine is so loaded that the run outlasts the window,
    // a client's last attempt can fall into a new minute and pass (still no more than the limit).
    if (elapsed < 55_000) expect(counts.throttled).toBe(CLIENTS * (ATTEMPTS_PER_CLIENT - WRITE_RATE_LIMIT));
    else expect(counts.throttled).toBeLessThanOrEqual(CLIENTS * (ATTEMPTS_PER_CLIENT - WRITE_RATE_LIMIT));
    // Milestones and spend forecasts were really contended, not just edited.
    for (const k of ['milestone', 'spend_profile']) expect(byKind[k].accepted).toBeGreaterThan(0);
  }, 300_000);

  it('races every serialised check-then-write under load: the invariants hold', async () => {
    const figures = { requests: 0, '500s': 0, other: [] as string[] };
    /** A fresh client per pair: the write limit is per user. */
    const client = async (role: 'admin' | 'finance' | 'approver'): Promise<Call> => {
      const token = await t.tokenFor(role);
      return async (method, url, body) => {
        const res = await fetch(base + url, {
          method,
          headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
          body: body ? JSON.stringify(body) : undefined,
        });
        figures.requests++;
        if (res.status >= 500) figures['500s']++;
        return { status: res.status, body: (await res.json().catch(() => undefined)) as any };
      };
    };
    const pair = async (a: Promise<{ status: number; body: any }>, b: Promise<{ status: number; body: any }>) =>
      Promise.all([a, b]);
    const ok = (r: { status: number; body: any }, ...want: number[]) => {
      if (!want.includes(r.status)) figures.other.push(`${r.status} ${JSON.stringify(r.body)}`);
      return r;
    };
    const lineKind = new Map<string, string>();
    for (const p of PROJECTS)
      lineKind.set(
        p,
        (await t.request('GET', `${P}/allocations?project=${p}`)).body.items.find(
          (a: any) => a.project === p && a.approvalState === 'approved',
        ).sourceKind,
      );
    const byKind: Record<string, { rounds: number; bothSucceeded: number }> = {};
    const tally = (k: string, both: boolean) => {
      byKind[k] ??= { rounds: 0, bothSucceeded: 0 };
      byKind[k].rounds++;
      if (both) byKind[k].bothSucceeded++;
    };

    // Submission of `quarter` against ACTUAL_WRITERS actual writes for it, all at once.
    const frozenChecks: string[] = [];
    let frozenCompared = 0;
    const submitRound = async (quarter: string, projects: string[]) => {
      const adm = await client('admin');
      const versions: number[] = [];
      for (const p of projects) {
        // A forecast above the actual (else FORECAST_BELOW_SPEND blocks the submission), then the actual.
        const spend = `${P}/projects/${p}/spend`;
        const line = ok(
          await adm('PUT', `${spend}/forecast`, { sourceKind: lineKind.get(p), quarter, forecast: '100000.00' }),
          200,
        );
        const actual = ok(
          await (
            await client('admin')
          )('PUT', `${spend}/actual`, {
            sourceKind: lineKind.get(p),
            quarter,
            actual: '90000.00',
            version: line.body.version,
          }),
          200,
        );
        versions.push(actual.body.version);
      }
      const url = `${P}/returns/${quarter.replace(' ', '-')}`;
      const liveRes = await adm('GET', url);
      if (liveRes.status !== 200) throw new Error(`GET ${url}: ${liveRes.status} ${JSON.stringify(liveRes.body)}`);
      const comments = Object.fromEntries(
        liveRes.body.return.checks
          .filter((c: any) => c.severity === 'warning')
          .map((c: any) => [c.code, 'explained in the race']),
      );
      const writers = await Promise.all(projects.map(() => client('admin')));
      const [submitted, ...writes] = await Promise.all([
        adm('POST', `${url}/submit`, { comments }),
        ...projects.map((p, i) =>
          writers[i]('PUT', `${P}/projects/${p}/spend/actual`, {
            sourceKind: lineKind.get(p),
            quarter,
            actual: `${90001 + i}.00`,
            version: versions[i],
          }),
        ),
      ]);
      ok(submitted, 201);
      for (const w of writes) ok(w, 200, 409, 423);
      tally(
        'submission vs actual',
        writes.some((w) => w.status === 200),
      );
      // The frozen return's actual for each line is what the line holds now (nothing landed after the freeze).
      const frozen = (await adm('GET', url)).body;
      const rows = frozen.return.sections.find((x: any) => x.key === 'finance').rows;
      for (const p of projects) {
        const profile = (await adm('GET', `${P}/projects/${p}/spend`)).body.profile;
        const stored = profile.find((l: any) => l.quarter === quarter && l.sourceKind === lineKind.get(p)).actual;
        const inReturn = rows.find(
          (r: any) => r.project === p && r.sourceKind === lineKind.get(p) && r.quarter === quarter,
        )?.actual;
        if (inReturn !== stored) frozenChecks.push(`${quarter} ${p}: frozen ${inReturn}, stored ${stored}`);
      }
      frozenCompared += projects.length;
    };

    const claimRounds = async () => {
      for (let i = 0; i < 12; i++) {
        const claim = { quarter: '2015-16 Q3', value: 3, claimKey: `EMPLOYER:LOAD-${i}` };
        const u = `${P}/projects/ETRURIA/outputs/JOBS_CREATED/actuals`;
        const [a, b] = await pair((await client('admin'))('POST', u, claim), (await client('admin'))('POST', u, claim));
        for (const r of [a, b]) ok(r, 201, 409);
        tally('double output claim', a.status === 201 && b.status === 201);
      }
    };

    const CR = `${P}/change-requests`;
    const approvalRounds = async (rounds: number) => {
      const fin = await client('admin');
      const submitCr = async (kind: string, payload: unknown): Promise<number> => {
        const author = await client('admin');
        const res = ok(await author('POST', CR, { kind, title: `load ${kind}`, reason: 'load race', payload }), 201);
        ok(await author('POST', `${CR}/${res.body.number}/submit`, {}), 200);
        return res.body.number;
      };
      await envelopeRace(rounds, {
        etruria: etruriaLgf((await fin('GET', `${P}/allocations?project=ETRURIA`)).body.items),
        submit: submitCr,
        approve: async (n) => (await client('approver'))('POST', `${CR}/${n}/approve`, {}),
        pair,
        raised: (r) => ok(r, 200),
        settled: (a, b) => {
          for (const r of [a, b]) ok(r, 200, 422);
          tally('approvals within headroom alone', a.status === 200 && b.status === 200);
        },
      });
    };

    const ADJ = 'SWAR';
    const adjustmentRounds = async () => {
      const adjust = async (amount: string) =>
        (await client('admin'))('POST', `${P}/projects/${ADJ}/spend/adjustments`, {
          sourceKind: lineKind.get(ADJ),
          correctsQuarter: '2015-16 Q1',
          amount,
          reason: 'load race',
        });
      for (let i = 0; i < 12; i++) {
        // Each alone leaves 30,000.00 of the quarter's 90,000.00 (or more); together they would go below zero.
        const [a, b] = await pair(adjust('-60000.00'), adjust('-60000.00'));
        for (const r of [a, b]) ok(r, 201, 409, 422);
        const won = [a, b].filter((r) => r.status === 201).length;
        tally('prior-period adjustments', won === 2);
        if (won) ok(await adjust(`${60000 * won}.00`), 201);
      }
    };

    const started = Date.now();
    // Phase 1: 2015-16 Q1's submission races its actuals while approvals race.
    await Promise.all([submitRound('2015-16 Q1', ['SWAR', 'AMSH', 'BRANSTON', 'LSTP']), approvalRounds(3)]);
    // Phase 2: adjustments to the now submitted Q1 race each other while Q2 is submitted against its actuals.
    await Promise.all([adjustmentRounds(), submitRound('2015-16 Q2', ['BERICOTE', 'LICHFIELD', 'MEAFORD', 'ETRURIA'])]);
    // Phase 3: double claims in the reporting quarter (now Q3; claims are never for a later one) while approvals race.
    await Promise.all([claimRounds(), approvalRounds(3)]);
    const elapsed = Date.now() - started;

    // Invariants, read back through the API.
    const swar = (await t.request('GET', `${P}/projects/${ADJ}/spend`)).body;
    const q1Actual = parsePounds(
      swar.profile.find((l: any) => l.quarter === '2015-16 Q1' && l.sourceKind === lineKind.get(ADJ)).actual,
    );
    const q1Adjusted = swar.adjustments
      .filter((a: any) => a.correctsQuarter === '2015-16 Q1' && a.sourceKind === lineKind.get(ADJ))
      .reduce((n: number, a: any) => n + parsePounds(a.amount), 0);
    const claims = await t.ds.query(`SELECT COUNT(*) AS n FROM output_actual WHERE claim_key LIKE 'EMPLOYER:LOAD-%'`);
    const envelope = (await t.request('GET', `${P}/envelope`)).body.items;
    const negativeHeadroom = envelope.filter((e: any) => parsePounds(e.headroom) < 0).map((e: any) => e.sourceKind);
    console.log(
      `load races (${kind}) in ${elapsed} ms: ${figures.requests} requests, ${figures['500s']} × 500, unexpected ${figures.other.length}; ` +
        `${JSON.stringify(byKind)}; submitted Q1 spend after adjustments ${formatPounds(q1Actual + q1Adjusted)}; ` +
        `claims recorded ${Number(claims[0].n)} of 12; envelopes with negative headroom ${negativeHeadroom.length}; frozen lines compared ${frozenCompared}, frozen ≠ stored ${frozenChecks.length}`,
    );
    expect(figures.other).toEqual([]);
    expect(figures['500s']).toBe(0);
    expect(q1Actual + q1Adjusted).toBeGreaterThanOrEqual(0);
    expect(byKind['prior-period adjustments'].bothSucceeded).toBe(0);
    expect(byKind['double output claim'].bothSucceeded).toBe(0);
    expect(Number(claims[0].n)).toBe(12);
    expect(byKind['approvals within headroom alone'].bothSucceeded).toBe(0);
    expect(negativeHeadroom).toEqual([]);
    expect(envelope.find((e: any) => e.sourceKind === 'LGF_PROVISIONAL').headroom).toBe('0.00');
    expect(frozenChecks).toEqual([]);
    expect(byKind['submission vs actual'].rounds).toBe(2);
  }, 120_000);
});
