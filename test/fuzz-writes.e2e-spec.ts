import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { databaseKinds } from './support/databases';
import { discoverRoutes, DiscoveredRoute, fillPath, isWrite } from './support/routes';
import { startTestApp, tableCounts, TestApp } from './support/test-app';

/**
 * Every write endpoint (discovered at run time) gets fast-check generated hostile bodies: wrong
 * types, huge strings, unicode, deep nesting, numbers as strings and strings as numbers,
 * prototype-pollution keys, malformed JSON. Never a 500; a refused request writes nothing.
 */
const RUNS_PER_ENDPOINT = 25;
const FIELDS = ['code', 'name', 'project', 'pool', 'theme', 'sourceKind', 'period', 'amount', 'commitmentStatus', 'version', 'description', 'location', 'status', 'leadBody', 'kind', 'value', 'measure', 'label', 'qualifier', 'unit', 'precision', 'quarter', 'reason', 'startsOn', 'endsOn', 'firstQuarter', 'identifier', 'rule', 'notes'];
const POLLUTION = ['__proto__', 'constructor', 'prototype'];

const deep = (depth: number, leaf: string) => '{"a":'.repeat(depth) + leaf + '}'.repeat(depth);
const scalar = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -1, 1, 2 ** 53, -(2 ** 53), 1e308, 0.1, '1', '1.0', '2400000.00', '-5.00', '1e5', '0x10', 'NaN', 'Infinity', '', ' ', 'null', 'true', 'ETRURIA', 'SSLEP-GD-2014', '2015-16', '2015-16 Q1', 'unprofiled', 'confirmed', '2015-02-30', "'; DROP TABLE project; --", '<script>alert(1)</script>', '\u0000', '\ud800', 'Ω≈ç√∫˜µ≤≥÷', '👩‍👩‍👧‍👦'),
  fc.boolean(),
  fc.constant(null),
  fc.constant('x'.repeat(300_000)),
);
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, fc.array(tie('v'), { maxLength: 4 }), fc.dictionary(fc.oneof(fc.constantFrom(...FIELDS, ...POLLUTION), fc.string({ maxLength: 8 })), tie('v'), { maxKeys: 4 })),
})).v;
const key = fc.oneof(fc.constantFrom(...FIELDS), fc.constantFrom(...POLLUTION), fc.string({ maxLength: 12 }));

/** A raw body text (so `__proto__` keys survive serialisation) and its content type. */
const body: fc.Arbitrary<{ text: string; type: string }> = fc.oneof(
  { weight: 6, arbitrary: fc.array(fc.tuple(key, value), { maxLength: 8 }).map((entries) => ({ text: `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}`).join(',')}}`, type: 'application/json' })) },
  { weight: 1, arbitrary: value.map((v) => ({ text: JSON.stringify(v) ?? 'null', type: 'application/json' })) },
  { weight: 1, arbitrary: fc.integer({ min: 10, max: 100_000 }).map((d) => ({ text: deep(d, '1'), type: 'application/json' })) },
  { weight: 1, arbitrary: fc.constantFrom('{', '{"code":', '[1,2', '{"a":1,}', "{'a':1}", 'null', '""', '{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"polluted":true}}}').map((text) => ({ text, type: 'application/json' })) },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }).map((text) => ({ text, type: fc.sample(fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/xml'), 1)[0] })) },
);
const versionQuery = fc.oneof(fc.constant(''), fc.constantFrom('?version=1', '?version=0', '?version=-1', '?version=abc', '?version=1e3', '?version=99999999999999999999', '?version[]=1', '?version=1&version=2', '?__proto__[x]=1'));

/** Row contents of every table except token bookkeeping (last use is refreshed by authentication, not by the write). */
async function fingerprint(ds: DataSource): Promise<string> {
  const h = createHash('sha256');
  for (const meta of ds.entityMetadatas) {
    if (meta.tableName === 'api_token') continue;
    const rows = await ds.query(`SELECT * FROM ${ds.driver.escape(meta.tableName)} ORDER BY 1`);
    h.update(meta.tableName).update(JSON.stringify(rows));
  }
  return h.digest('hex');
}

describe.each(databaseKinds())('fuzzing every write endpoint on %s', (kind) => {
  let t: TestApp;
  let writes: DiscoveredRoute[];
  let draftId: number;
  beforeAll(async () => {
    t = await startTestApp(kind, { WRITE_RATE_LIMIT: '1000000' });
    // Deletes last, so they do not remove what the other endpoints are fuzzed against.
    writes = discoverRoutes(t.app)
      .filter((r) => isWrite(r.method))
      .sort((a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE'));
    const d = await t.request('POST', '/api/programmes/SSLEP-GD-2014/allocations', { sourceKind: 'LGF', project: 'ETRURIA', period: '2016-17', amount: '5.00', commitmentStatus: 'indicative' });
    draftId = d.body.id;
  });
  afterAll(async () => t?.close());

  it('never answers 500 and never half-writes', async () => {
    expect(writes.length).toBeGreaterThanOrEqual(15);
    const totals = { tried: 0, refused: 0, accepted: 0, endpoints: writes.length };
    const byStatus: Record<number, number> = {};
    const problems: string[] = [];
    const examples: string[] = [];
    for (const route of writes) {
      const params: Record<string, string> = route.url.startsWith('/api/organisations') ? { code: 'SSLEP' } : { code: 'SSLEP-GD-2014', project: 'ETRURIA', id: String(draftId), theme: 'SITES', headline: 'TABLE-TOTAL' };
      await fc.assert(
        fc.asyncProperty(body, versionQuery, async (b, q) => {
          const url = fillPath(route.url, params, 'FUZZ') + (route.method === 'DELETE' ? q : '');
          const [countsBefore, before] = [await tableCounts(t.ds), await fingerprint(t.ds)];
          const res = await t.request(route.method, url, b.text, { 'content-type': b.type });
          totals.tried++;
          byStatus[res.status] = (byStatus[res.status] ?? 0) + 1;
          if (examples.length < 12 && totals.tried % 37 === 1) examples.push(`${route.method} ${url} ${b.text.slice(0, 80)} → ${res.status}`);
          if (res.status >= 500) problems.push(`${route.method} ${url} body ${b.text.slice(0, 200)} → ${res.status} ${res.text.slice(0, 200)}`);
          if (res.status >= 400) {
            totals.refused++;
            if (res.body?.code === undefined || /at .*\.ts|SELECT|INSERT|SQLITE|QueryFailed/i.test(res.text)) problems.push(`${route.method} ${url}: error body leaks or lacks a code: ${res.text.slice(0, 200)}`);
            const [countsAfter, after] = [await tableCounts(t.ds), await fingerprint(t.ds)];
            if (after !== before || JSON.stringify(countsAfter) !== JSON.stringify(countsBefore)) problems.push(`${route.method} ${url} refused with ${res.status} but changed the database`);
          } else totals.accepted++;
          // Prototype pollution never reaches the process.
          if (({} as Record<string, unknown>).polluted !== undefined) problems.push(`${route.method} ${url}: Object.prototype polluted`);
        }),
        { numRuns: RUNS_PER_ENDPOINT, seed: 8 },
      );
    }
    console.log(`fuzz (${kind}): ${totals.endpoints} write endpoints × ${RUNS_PER_ENDPOINT} = ${totals.tried} bad inputs tried; refused ${totals.refused}, accepted ${totals.accepted}; statuses ${JSON.stringify(byStatus)}; 500s and partial writes: ${problems.length}\n  e.g. ${examples.join('\n  e.g. ')}`);
    expect(problems).toEqual([]);
    expect(totals.tried).toBe(writes.length * RUNS_PER_ENDPOINT);
  });
});
