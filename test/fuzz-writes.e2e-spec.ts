import fc from 'fast-check';
import { databaseKinds } from './support/databases';
import { exampleBody, OpenApiDoc, pathsOf, withPath } from './support/openapi-examples';
import { discoverRoutes, DiscoveredRoute, fillPath, isWrite } from './support/routes';
import { ChangeJournal, installChangeJournal } from './support/change-journal';
import { startTestApp, TestApp } from './support/test-app';
import { writeFixtures } from './support/write-fixtures';

/**
 * Every write endpoint (discovered at run time) gets fast-check generated hostile bodies: wrong
 * types, huge strings, unicode, deep nesting, numbers as strings and strings as numbers,
 * prototype-pollution keys, malformed JSON; and near-valid bodies (the route's OpenAPI example,
 * or a change request of each kind, with a field or two replaced, removed or added) so the
 * services are reached, not just validation. Path parameters name real rows (sometimes hostile
 * ones). Never a 500; a refused request writes nothing.
 */
const RUNS_PER_ENDPOINT = 30;
const FIELDS = [
  'code',
  'name',
  'project',
  'pool',
  'theme',
  'sourceKind',
  'period',
  'amount',
  'commitmentStatus',
  'version',
  'description',
  'location',
  'status',
  'leadBody',
  'kind',
  'value',
  'measure',
  'label',
  'qualifier',
  'unit',
  'precision',
  'quarter',
  'reason',
  'startsOn',
  'endsOn',
  'firstQuarter',
  'identifier',
  'rule',
  'notes',
  'forecast',
  'actual',
  'forecastDate',
  'actualDate',
  'baselineDate',
  'title',
  'payload',
  'evidence',
  'claimKey',
  'metric',
  'target',
  'correctsQuarter',
  'lines',
  'delta',
  'allocationId',
  'milestones',
  'targets',
  'comments',
];
const POLLUTION = ['__proto__', 'constructor', 'prototype'];

const deep = (depth: number, leaf: string) => '{"a":'.repeat(depth) + leaf + '}'.repeat(depth);
/** A value nested 3,000 levels deep (as a field's value: it once overflowed validation's stack). */
const DEEP_VALUE: unknown = JSON.parse(deep(3_000, '1'));
const scalar = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(
    0,
    -1,
    1,
    2 ** 53,
    -(2 ** 53),
    1e308,
    0.1,
    '1',
    '1.0',
    '2400000.00',
    '-5.00',
    '1e5',
    '0x10',
    'NaN',
    'Infinity',
    '',
    ' ',
    'null',
    'true',
    'ETRURIA',
    'SSLEP-GD-2014',
    '2015-16',
    '2015-16 Q1',
    'unprofiled',
    'confirmed',
    '2015-02-30',
    "'; DROP TABLE project; --",
    '<script>alert(1)</script>',
    '\u0000',
    '\ud800',
    'Ω≈ç√∫˜µ≤≥÷',
    '👩‍👩‍👧‍👦',
  ),
  fc.boolean(),
  fc.constant(null),
  fc.constant('x'.repeat(300_000)),
);
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...FIELDS, ...POLLUTION), fc.string({ maxLength: 8 })), tie('v'), {
      maxKeys: 4,
    }),
  ),
})).v;
const key = fc.oneof(fc.constantFrom(...FIELDS), fc.constantFrom(...POLLUTION), fc.string({ maxLength: 12 }));

/** A raw body text (so `__proto__` keys survive serialisation) and its content type. */
const body: fc.Arbitrary<{ text: string; type: string }> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.array(fc.tuple(key, value), { maxLength: 8 }).map((entries) => ({
      text: `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}`).join(',')}}`,
      type: 'application/json',
    })),
  },
  { weight: 1, arbitrary: value.map((v) => ({ text: JSON.stringify(v) ?? 'null', type: 'application/json' })) },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 10, max: 100_000 }).map((d) => ({ text: deep(d, '1'), type: 'application/json' })),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(
        '{',
        '{"code":',
        '[1,2',
        '{"a":1,}',
        "{'a':1}",
        'null',
        '""',
        '{"__proto__":{"polluted":true}}',
        '{"constructor":{"prototype":{"polluted":true}}}',
      )
      .map((text) => ({ text, type: 'application/json' })),
  },
  {
    weight: 1,
    arbitrary: fc.string({ maxLength: 200 }).map((text) => ({
      text,
      type: fc.sample(fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/xml'), 1)[0],
    })),
  },
);
/** Values that pass type checks but test the rules: edge dates and quarters, money at and past the safe-integer pence limit, other projects. */
const plausible = fc.constantFrom<unknown>(
  '2015-16 Q1',
  '2015-16 Q2',
  '2016-17 Q4',
  '2020-21 Q4',
  '2021-22 Q1',
  '2014-15 Q4',
  '2015-04-01',
  '2015-03-31',
  '2021-03-31',
  '2021-04-01',
  '2099-12-31',
  '1900-01-01',
  '0.00',
  '0.01',
  '-0.01',
  '-1000000.00',
  '90071992547409.91',
  '90071992547409.92',
  '1000000000.00',
  '1000000000.01',
  '\u0000',
  'a\u0000b',
  DEEP_VALUE,
  '99999999999999999999.99',
  'ETRURIA',
  'LICHFIELD',
  'BERICOTE',
  'NOPE',
  'LGF',
  'LOCAL_MATCH',
  'PRIVATE_MATCH',
  'JOBS_CREATED',
  'ROAD_NEW',
  'SITES',
  'unprofiled',
  '2016-17',
  '2016-17 onwards',
  'approved',
  'complete',
  'cancelled',
  1,
  2,
  3,
  0,
  -1,
  2 ** 31 - 1,
  2 ** 31,
  2 ** 53,
  1.5,
  1e21,
  null,
  '',
  [],
  {},
);
const mutation = fc.tuple(fc.nat(), fc.oneof(value, plausible), fc.integer({ min: 0, max: 3 }));
/** A valid example with up to two fields replaced or removed, and sometimes an extra (or polluting) key. */
const nearValid = (examples: unknown[]) =>
  fc
    .tuple(
      fc.constantFrom(...examples),
      fc.array(mutation, { maxLength: 2 }),
      fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.tuple(key, value) }),
    )
    .map(([example, muts, extra]) => {
      let v = example;
      for (const [i, replacement, op] of muts) {
        const paths = pathsOf(v);
        if (paths.length) v = withPath(v, paths[i % paths.length], replacement, op === 0);
      }
      let text = JSON.stringify(v) ?? 'null';
      if (extra && text.endsWith('}'))
        text = `${text.slice(0, -1)}${text === '{}' ? '' : ','}${JSON.stringify(extra[0])}:${JSON.stringify(extra[1]) ?? 'null'}}`;
      return { text, type: 'application/json' };
    });
/** Path parameters that are not rows at all. */
const hostileParam = fc.constantFrom(
  '0',
  '-1',
  '1.5',
  '1e3',
  '99999999999999999999',
  '2147483648',
  'null',
  '%00',
  '..%2F..',
  'x'.repeat(2000),
  '%F0%9F%91%A9',
  "'%20OR%201=1",
  '2015-16%20Q9',
  '2015-16-Q5',
);
const versionQuery = fc.oneof(
  fc.constant(''),
  fc.constantFrom(
    '?version=1',
    '?version=0',
    '?version=-1',
    '?version=abc',
    '?version=1e3',
    '?version=99999999999999999999',
    '?version[]=1',
    '?version=1&version=2',
    '?__proto__[x]=1',
  ),
);

describe.each(databaseKinds())('fuzzing every write endpoint on %s', (kind) => {
  const P = '/api/programmes/SSLEP-GD-2014';
  let t: TestApp;
  let writes: DiscoveredRoute[];
  let doc: OpenApiDoc;
  const ids: Record<string, string> = {};
  let changeRequests: unknown[];
  let sweepTried = 0;
  let journal: ChangeJournal;
  beforeAll(async () => {
    t = await startTestApp(kind, { WRITE_RATE_LIMIT: '1000000' });
    // Deletes last, so they do not remove what the other endpoints are fuzzed against.
    writes = discoverRoutes(t.app)
      .filter((r) => isWrite(r.method))
      .sort((a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE'));
    doc = (await t.request('GET', '/api/docs-json')).body;
    // Real rows for the parameters: a draft allocation, a project milestone, an output claim, a spend line, a draft change request.
    const f = await writeFixtures(t, 'fuzz');
    Object.assign(ids, f.ids);
    changeRequests = f.changeRequests;
    await f.ok('PUT', `${P}/projects/ETRURIA/spend/forecast`, {
      sourceKind: 'LGF',
      quarter: '2016-17 Q1',
      forecast: '1000.00',
    });
    ids.changeRequest = await f.draft({
      kind: 'put_on_hold',
      title: 'Hold Bericote',
      reason: 'Fuzz target: a draft change request',
      payload: { project: 'BERICOTE' },
    });
    // Every committed row change from here on is counted (token bookkeeping aside: authentication
    // refreshes a token's last use, which is not the write's doing).
    journal = await installChangeJournal(t.ds, ['api_token']);
    // The journal sees a write when there is one, so "unchanged" below means something.
    const quiet = await journal.snapshot();
    await t.ds.query(`UPDATE theme SET name = name WHERE code = 'SITES'`);
    expect(journal.changed(quiet, await journal.snapshot())).toEqual(['theme']);
  });
  afterAll(async () => t?.close());

  /** Real rows for the route's parameters. */
  function paramsFor(url: string): Record<string, string> {
    if (url.startsWith('/api/organisations')) return { code: 'SSLEP' };
    const id = url.includes('/milestones/')
      ? ids.milestone
      : url.includes('/output-actuals/')
        ? ids.outputActual
        : url.includes('/risks/')
          ? ids.risk
          : ids.allocation;
    return {
      code: 'SSLEP-GD-2014',
      project: 'ETRURIA',
      id,
      number: ids.changeRequest,
      metric: 'JOBS_CREATED',
      quarter: '2015-16-Q1',
      key: 'grantIdPrefix',
      theme: 'SITES',
      headline: 'TABLE-TOTAL',
    };
  }

  // The documented per-field maximum (£1,000,000,000.00, src/common/money.ts): the maximum itself
  // is accepted, a penny above it is a 400 naming the field and writes nothing.
  it('accepts the maximum amount and refuses a penny above it, naming the field', async () => {
    const draft = (amount: string) => ({
      sourceKind: 'LGF',
      project: 'ETRURIA',
      period: '2016-17',
      amount,
      commitmentStatus: 'indicative',
    });
    const forecast = (value: string) => ({ sourceKind: 'LGF', quarter: '2016-17 Q2', forecast: value });
    for (const [method, url, body, field] of [
      ['POST', `${P}/allocations`, draft, 'amount'],
      ['PUT', `${P}/projects/ETRURIA/spend/forecast`, forecast, 'forecast'],
    ] as const) {
      const before = await journal.snapshot();
      const over = await t.request(method, url, body('1000000000.01'));
      expect([over.status, over.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      expect(over.body.message).toMatch(new RegExp(`^${field}: .*at most 1000000000\\.00`));
      expect(journal.changed(before, await journal.snapshot())).toEqual([]);
      const max = await t.request(method, url, body('1000000000.00'));
      expect([method, max.status]).toEqual([method, method === 'POST' ? 201 : 200]);
    }
  });

  // Deterministic sweep: every field of every example body (nested ones too) set to null, to a wrong type, or left out, one at a time.
  it('every field of every write body: null, wrong type, missing, U+0000, 2^31 or 3,000-deep is refused with a 4xx (or accepted), never a 500', async () => {
    const problems: string[] = [];
    let tried = 0;
    // Every table's rows, carried from one request to the next (a refused request must leave it unchanged).
    let before = await journal.snapshot();
    for (const route of writes.filter((r) => r.method !== 'DELETE')) {
      const valid =
        route.url.endsWith('/change-requests') && route.method === 'POST'
          ? changeRequests
          : [exampleBody(doc, route.method, route.url)].filter((x) => x !== undefined);
      const url = fillPath(route.url, paramsFor(route.url));
      for (const example of valid) {
        for (const path of pathsOf(example)) {
          for (const [label, v] of [
            ['null', withPath(example, path, null)],
            ['missing', withPath(example, path, null, true)],
            ['number', withPath(example, path, 7)],
            ['string', withPath(example, path, 'x')],
            ['object', withPath(example, path, {})],
            ['U+0000', withPath(example, path, 'a\u0000b')],
            ['2^31', withPath(example, path, 2 ** 31)],
            ['3,000 deep', withPath(example, path, DEEP_VALUE)],
          ] as const) {
            let res = await t.request(route.method, url, JSON.stringify(v), { 'content-type': 'application/json' });
            // Earlier accepted faults moved the row on: retry once at its current version, so the fault reaches the service.
            if (
              res.status === 409 &&
              res.body?.code === 'STALE_VERSION' &&
              v &&
              typeof v === 'object' &&
              'version' in v &&
              typeof res.body.details?.currentVersion === 'number'
            ) {
              res = await t.request(
                route.method,
                url,
                JSON.stringify({ ...v, version: res.body.details.currentVersion }),
                { 'content-type': 'application/json' },
              );
            }
            tried++;
            if (res.status >= 500) problems.push(`${route.method} ${url} ${path.join('.')} ${label} → ${res.status}`);
            const after = await journal.snapshot();
            if (res.status >= 400 && after !== before)
              problems.push(
                `${route.method} ${url} ${path.join('.')} ${label} refused with ${res.status} but changed ${journal.changed(before, after).join(', ')}`,
              );
            before = after;
          }
        }
      }
    }
    console.log(
      `fuzz sweep (${kind}): ${tried} single-field faults (null, missing, wrong type) over every write body; 500s and partial writes: ${problems.length}`,
    );
    sweepTried = tried;
    expect(problems).toEqual([]);
  }, 900_000);

  it('covers every write endpoint, never answers 500 and never half-writes', async () => {
    const routeKeys = writes.map((r) => `${r.method} ${r.url}`);
    // Discovered, not listed: these are checked only so a discovery regression cannot hide them.
    for (const must of [
      'PUT /api/programmes/:code/projects/:project/spend/forecast',
      'PATCH /api/programmes/:code/milestones/:id',
      'POST /api/programmes/:code/projects/:project/outputs/:metric/actuals',
      'PATCH /api/programmes/:code/output-actuals/:id',
      'POST /api/programmes/:code/change-requests',
      'POST /api/programmes/:code/change-requests/:number/approve',
      'POST /api/programmes/:code/returns/:quarter/submit',
      'PUT /api/programmes/:code/open-data/assumptions/:key',
    ]) {
      expect(routeKeys).toContain(must);
    }
    const totals = { tried: 0, nearValid: 0, refused: 0, accepted: 0, endpoints: writes.length };
    const byStatus: Record<number, number> = {};
    const problems: string[] = [];
    const examples: string[] = [];
    let before = await journal.snapshot();
    for (const route of writes) {
      const params = paramsFor(route.url);
      const names = Object.keys(params).filter((n) => route.url.includes(`:${n}`));
      const valid =
        route.url.endsWith('/change-requests') && route.method === 'POST'
          ? changeRequests
          : [exampleBody(doc, route.method, route.url)].filter((x) => x !== undefined);
      const bodies = valid.length
        ? fc.oneof(
            { weight: 2, arbitrary: body.map((b) => ({ ...b, near: false })) },
            { weight: 3, arbitrary: nearValid(valid).map((b) => ({ ...b, near: true })) },
          )
        : body.map((b) => ({ ...b, near: false }));
      const param = names.length
        ? fc.oneof(
            { weight: 5, arbitrary: fc.constant(null) },
            { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...names), hostileParam) },
          )
        : fc.constant(null);
      await fc.assert(
        fc.asyncProperty(bodies, versionQuery, param, async (b, q, bad) => {
          const url =
            fillPath(route.url, bad ? { ...params, [bad[0]]: bad[1] } : params, 'FUZZ').replace(/%25/g, '%') +
            (route.method === 'DELETE' ? q : '');
          const res = await t.request(route.method, url, b.text, { 'content-type': b.type });
          totals.tried++;
          if (b.near) totals.nearValid++;
          byStatus[res.status] = (byStatus[res.status] ?? 0) + 1;
          if (examples.length < 12 && totals.tried % 53 === 1)
            examples.push(`${route.method} ${url.slice(0, 100)} ${b.text.slice(0, 80)} → ${res.status}`);
          if (res.status >= 500)
            problems.push(
              `${route.method} ${url} body ${b.text.slice(0, 300)} → ${res.status} ${res.text.slice(0, 200)}`,
            );
          if (res.status >= 400) {
            totals.refused++;
            // Staff pages (/manage) answer forms with an HTML page, not a JSON error: they must still never
            // leak internals, never 500 and never half-write.
            const staffPage = route.url.startsWith('/manage');
            const leaks = staffPage
              ? /at .*\.ts|SQLITE_|QueryFailed/.test(res.text)
              : /at .*\.ts|SELECT|INSERT|SQLITE|QueryFailed/i.test(res.text);
            if ((!staffPage && res.body?.code === undefined) || leaks)
              problems.push(`${route.method} ${url}: error body leaks or lacks a code: ${res.text.slice(0, 200)}`);
            const after = await journal.snapshot();
            if (after !== before)
              problems.push(
                `${route.method} ${url} refused with ${res.status} but changed ${journal.changed(before, after).join(', ')}`,
              );
          } else {
            totals.accepted++;
            before = await journal.snapshot();
          }
          // Prototype pollution never reaches the process.
          if (({} as Record<string, unknown>).polluted !== undefined)
            problems.push(`${route.method} ${url}: Object.prototype polluted`);
        }),
        { numRuns: RUNS_PER_ENDPOINT, seed: 8 },
      );
    }
    console.log(
      `fuzz (${kind}): ${totals.endpoints} write endpoints × ${RUNS_PER_ENDPOINT} = ${totals.tried} bad inputs tried (${totals.nearValid} near-valid); refused ${totals.refused}, accepted ${totals.accepted}; statuses ${JSON.stringify(byStatus)}; 500s and partial writes: ${problems.length}; with the field sweep ${totals.tried + sweepTried} bad inputs in all\n` +
        `  endpoints: ${routeKeys.join(', ')}\n  e.g. ${examples.join('\n  e.g. ')}`,
    );
    expect(problems).toEqual([]);
    expect(totals.tried).toBe(writes.length * RUNS_PER_ENDPOINT);
  }, 900_000);
});
