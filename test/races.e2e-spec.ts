import { createHash } from 'node:crypto';
import { storeReturnVersion } from '../src/returns/store-version';
import { Programme } from '../src/programmes/programme.entity';
import { databaseKinds } from './support/databases';
import { envelopeRace, etruriaLgf } from './support/envelope-race';
import { startTestApp, TestApp, TestResponse } from './support/test-app';

/**
 * Same-moment races on every check-then-write: each pair of requests is sent at once and each
 * would pass its check alone. Afterwards the invariant is checked from the database, and the
 * figures (pairs, both-succeeded, lost writes, 500s) are printed per database.
 *
 * - a stale DELETE ?version=1 against a PATCH at version 1 (allocations, themes): exactly one wins;
 *   when the PATCH won, its edit is still there (no acknowledged write lost);
 * - two prior-period adjustments that together would take a submitted quarter's spend below zero;
 * - the same output claim twice;
 * - two approvals that each fit the envelope's headroom alone.
 */
const P = '/api/programmes/SSLEP-GD-2014';
const CR = `${P}/change-requests`;
const PAIRS = 30;

const figures: Record<string, Record<string, number>> = {};
function count(kind: string, what: string, n = 1) {
  figures[kind] ??= {};
  figures[kind][what] = (figures[kind][what] ?? 0) + n;
}

describe.each(databaseKinds())('same-moment races on %s', (kind) => {
  let t: TestApp;
  const both = async (a: Promise<TestResponse>, b: Promise<TestResponse>) => {
    const [x, y] = await Promise.all([a, b]);
    count(kind, 'requests', 2);
    for (const r of [x, y]) if (r.status >= 500) count(kind, '500s');
    return [x, y] as const;
  };
  beforeAll(async () => {
    t = await startTestApp(kind, { WRITE_RATE_LIMIT: '100000' });
  });
  afterAll(async () => {
    await t?.close();
    console.log(`races on ${kind}: ${JSON.stringify(figures[kind])}`);
  });

  it('a stale delete never removes an acknowledged edit of an allocation', async () => {
    let lost = 0;
    let bothOk = 0;
    for (let i = 0; i < PAIRS; i++) {
      const draft = await t.request('POST', `${P}/allocations`, {
        sourceKind: 'LGF',
        project: 'ETRURIA',
        period: '2017-18',
        amount: '100.00',
        commitmentStatus: 'indicative',
      });
      expect(draft.status).toBe(201);
      const id = draft.body.id;
      const [del, patch] = await both(
        t.request('DELETE', `${P}/allocations/${id}?version=1`),
        t.request('PATCH', `${P}/allocations/${id}`, { version: 1, amount: '200.00' }),
      );
      expect([del.status, patch.status].sort()).toEqual(del.status === 204 ? [204, 404] : [200, 409]);
      if (del.status === 204 && patch.status === 200) bothOk++;
      if (patch.status === 200) {
        const now = await t.request('GET', `${P}/allocations/${id}`);
        if (now.status !== 200 || now.body.amount !== '200.00') lost++;
      }
    }
    count(kind, 'delete/patch pairs', PAIRS);
    count(kind, 'both succeeded', bothOk);
    count(kind, 'lost writes', lost);
    expect({ bothOk, lost }).toEqual({ bothOk: 0, lost: 0 });
  });

  it('a stale delete never removes an acknowledged edit of a theme', async () => {
    let lost = 0;
    let bothOk = 0;
    for (let i = 0; i < PAIRS; i++) {
      const code = `RACE${i}`;
      expect((await t.request('POST', `${P}/themes`, { code, name: `Race ${i}` })).status).toBe(201);
      const [del, patch] = await both(
        t.request('DELETE', `${P}/themes/${code}?version=1`),
        t.request('PATCH', `${P}/themes/${code}`, { version: 1, name: `Renamed ${i}` }),
      );
      if (del.status === 204 && patch.status === 200) bothOk++;
      expect([204, 409]).toContain(del.status);
      if (patch.status === 200) {
        const now = await t.request('GET', `${P}/themes/${code}`);
        if (now.status !== 200 || now.body.name !== `Renamed ${i}`) lost++;
      }
    }
    count(kind, 'delete/patch pairs', PAIRS);
    count(kind, 'both succeeded', bothOk);
    count(kind, 'lost writes', lost);
    expect({ bothOk, lost }).toEqual({ bothOk: 0, lost: 0 });
  });

  it('two prior-period adjustments never take a submitted quarter’s spend below zero', async () => {
    const actual = await t.request('PUT', `${P}/projects/SWAR/spend/actual`, {
      sourceKind: 'LGF',
      quarter: '2015-16 Q1',
      actual: '90000.00',
    });
    expect(actual.status).toBe(200);
    // Closes 2015-16 Q1 as a submitted return would.
    const prog = await t.ds.manager.findOneByOrFail(Programme, { code: 'SSLEP-GD-2014' });
    const text = JSON.stringify({ race: true });
    await storeReturnVersion(
      t.ds.manager,
      {
        programmeId: prog.id,
        quarter: '2015-16 Q1',
        version: 1,
        status: 'submitted',
        snapshotSha256: createHash('sha256').update(text).digest('hex'),
        xlsxBase64: null,
        xlsxSha256: null,
        reason: null,
        comments: null,
        submittedBy: 'test',
        submittedAt: '2015-07-20T09:00:00.000Z',
        submittedOn: null,
      },
      [text],
    );
    const adjust = (amount: string) =>
      t.request('POST', `${P}/projects/SWAR/spend/adjustments`, {
        sourceKind: 'LGF',
        correctsQuarter: '2015-16 Q1',
        amount,
        reason: 'same-moment race',
      });
    let bothOk = 0;
    for (let i = 0; i < PAIRS; i++) {
      // Each alone leaves 30,000.00; together they would leave -30,000.00.
      const [a, b] = await both(adjust('-60000.00'), adjust('-60000.00'));
      const ok = [a, b].filter((r) => r.status === 201).length;
      if (ok === 2) bothOk++;
      for (const r of [a, b]) if (r.status !== 201) expect(r.body.code).toBe('NEGATIVE_SPEND');
      // Back to 90,000.00 for the next pair.
      if (ok) expect((await adjust(formatPence(6_000_000 * ok))).status).toBe(201);
    }
    const s = await t.request('GET', `${P}/projects/SWAR/spend`);
    const sum = s.body.adjustments
      .filter((a: { correctsQuarter: string }) => a.correctsQuarter === '2015-16 Q1')
      .reduce((n: number, a: { amount: string }) => n + Math.round(Number(a.amount) * 100), 0);
    count(kind, 'adjustment pairs', PAIRS);
    count(kind, 'both succeeded', bothOk);
    expect(bothOk).toBe(0);
    expect(sum).toBe(0);
  });

  it('the same output claim twice at once is recorded once', async () => {
    let bothOk = 0;
    for (let i = 0; i < PAIRS; i++) {
      const claim = { quarter: '2015-16 Q2', value: 3, claimKey: `EMPLOYER:RACE-${i}` };
      const url = `${P}/projects/ETRURIA/outputs/JOBS_CREATED/actuals`;
      const [a, b] = await both(t.request('POST', url, claim), t.request('POST', url, claim));
      if (a.status === 201 && b.status === 201) bothOk++;
      for (const r of [a, b]) if (r.status !== 201) expect([r.status, r.body.code]).toEqual([409, 'DUPLICATE']);
    }
    const rows = await t.ds.query(`SELECT COUNT(*) AS n FROM output_actual WHERE claim_key LIKE 'EMPLOYER:RACE-%'`);
    count(kind, 'claim pairs', PAIRS);
    count(kind, 'both succeeded', bothOk);
    expect({ bothOk, rows: Number(rows[0].n) }).toEqual({ bothOk: 0, rows: PAIRS });
  });

  it('two approvals that each fit the envelope alone never both pass', async () => {
    const approver = await t.as('approver');
    const submit = async (kind: string, payload: unknown): Promise<number> => {
      const res = await t.request('POST', CR, { kind, title: `race ${kind}`, reason: 'race', payload });
      expect(res.status).toBe(201);
      expect((await t.request('POST', `${CR}/${res.body.number}/submit`, {})).status).toBe(200);
      return res.body.number;
    };
    const items = (await t.request('GET', `${P}/allocations?limit=500`)).body.items;
    let bothOk = 0;
    const rounds = 10;
    // Headroom of exactly one move: raised by 1,000.00, then two moves of 1,000.00 race.
    await envelopeRace(rounds, {
      etruria: etruriaLgf(items),
      submit,
      approve: (n) => approver('POST', `${CR}/${n}/approve`, {}),
      pair: both,
      raised: (r) => expect(r.status).toBe(200),
      settled: (a, b) => {
        if (a.status === 200 && b.status === 200) bothOk++;
        for (const r of [a, b])
          if (r.status !== 200) expect([r.status, r.body.code]).toEqual([422, 'ENVELOPE_EXCEEDED']);
      },
    });
    const env = (await t.request('GET', `${P}/envelope`)).body.items.find(
      (e: { sourceKind: string }) => e.sourceKind === 'LGF_PROVISIONAL',
    );
    count(kind, 'approval pairs', rounds);
    count(kind, 'both succeeded', bothOk);
    expect(bothOk).toBe(0);
    expect(env.headroom).toBe('0.00');
  });
});

function formatPence(p: number): string {
  return `${Math.floor(p / 100)}.${String(p % 100).padStart(2, '0')}`;
}
