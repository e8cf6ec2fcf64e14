import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { databaseKinds } from './support/databases';
import { APPROVED_BY_SOURCE_2014 } from './support/deal-2014';
import { RequestFn, startTestApp, tableCounts, TestApp } from './support/test-app';

/**
 * Issue 14, "A new programme cannot be entered through the API": POST /api/deals loads a deal's
 * approved baseline in one audited step, in the seed file's shape (one schema, one loader);
 * pools are created through the API; provenance is accepted on every money route (a draft
 * allocation, a reallocation's new line, an added project's allocation); the seed file and the
 * API use one vocabulary (`amount` for money, `section` optional in both). On an empty database.
 */
const MY = {
  name: 'my-growth-deal',
  programme: {
    code: 'MY-GD',
    name: 'My Growth Deal',
    startsOn: '2016-04-01',
    endsOn: '2021-03-31',
    firstQuarter: '2016-17 Q1',
  },
  themes: [{ code: 'SITES', name: 'Employment sites' }],
  projects: [
    {
      code: 'ALPHA',
      name: 'Alpha business park',
      theme: 'SITES',
      status: 'in_delivery',
      source: { document: 'My deal letter', quote: 'Alpha business park' },
    },
    { code: 'BETA', name: 'Beta link road', theme: 'SITES' },
  ],
  pools: [{ code: 'SITES-PRIVATE', name: 'Private match for the sites', theme: 'SITES', projects: ['ALPHA', 'BETA'] }],
  allocations: [
    {
      ref: 'ALPHA-LGF',
      sourceKind: 'LGF',
      project: 'ALPHA',
      period: 'unprofiled',
      amount: '1000000.00',
      commitmentStatus: 'confirmed',
      source: { document: 'My deal letter', quote: 'Alpha business park (£1m)', printed: '£1m' },
    },
    {
      ref: 'BETA-LGF',
      sourceKind: 'LGF',
      project: 'BETA',
      period: 'unprofiled',
      amount: '500000.00',
      commitmentStatus: 'confirmed',
    },
    {
      ref: 'SITES-PRIVATE',
      sourceKind: 'PRIVATE_MATCH',
      pool: 'SITES-PRIVATE',
      period: 'unprofiled',
      amount: '200000.00',
      commitmentStatus: 'indicative',
    },
  ],
  headlines: [
    {
      code: 'LGF-AWARD',
      measure: 'LGF_TOTAL',
      label: 'Local Growth Fund award',
      qualifier: 'exact',
      unit: 'pounds',
      amount: '1500000.00',
      precision: '100000.00',
      rule: { allocations: { sourceKinds: ['LGF'] } },
      source: { document: 'My deal letter', quote: 'a Local Growth Fund award of £1.5m', printed: '£1.5m' },
    },
  ],
};

describe.each(databaseKinds())('a new deal through the API on %s', (kind) => {
  let t: TestApp;
  let finance: RequestFn;
  const P = '/api/programmes/MY-GD';
  beforeAll(async () => {
    t = await startTestApp(kind, { SEED_ON_START: 'false' });
    finance = await t.as('finance');
  });
  afterAll(async () => t?.close());

  it('refuses a non-admin, and a wrong deal whole (422 naming each path), writing nothing', async () => {
    expect((await finance('POST', '/api/deals', MY)).status).toBe(403);
    const before = await tableCounts(t.ds);
    const bad = await t.request('POST', '/api/deals', {
      ...MY,
      allocations: [
        { ...MY.allocations[0], project: 'GAMMA' },
        { ...MY.allocations[1], amount: '500000' },
      ],
    });
    expect([bad.status, bad.body.code]).toEqual([422, 'SEED_INVALID']);
    expect(bad.body.message).toBe(
      'deal: /allocations/1/amount: must be pounds with exactly two decimal places, e.g. "2400000.00"',
    );
    const unknown = await t.request('POST', '/api/deals', {
      ...MY,
      allocations: [{ ...MY.allocations[0], project: 'GAMMA' }],
    });
    expect([unknown.status, unknown.body.code, unknown.body.message]).toEqual([
      422,
      'SEED_INVALID',
      'deal: /allocations/0/project: unknown project "GAMMA"',
    ]);
    expect(await tableCounts(t.ds)).toEqual(before);
  });

  it('loads a deal (section optional, amount for money) in one audited step; a second load is refused', async () => {
    const res = await t.request('POST', '/api/deals', MY);
    expect([res.status, res.body]).toEqual([
      201,
      { name: 'my-growth-deal', loaded: true, programme: 'MY-GD', rows: expect.any(Number) },
    ]);
    const env = (await t.request('GET', `${P}/envelope`)).body.items.map(
      (e: { sourceKind: string; envelope: string; approved: string; headroom: string }) => [
        e.sourceKind,
        e.envelope,
        e.approved,
        e.headroom,
      ],
    );
    expect(env).toEqual([
      ['LGF', '1500000.00', '1500000.00', '0.00'],
      ['PRIVATE_MATCH', '200000.00', '200000.00', '0.00'],
    ]);
    const allocs = (await t.request('GET', `${P}/allocations`)).body.items;
    expect(allocs[0]).toMatchObject({
      project: 'ALPHA',
      amount: '1000000.00',
      approvalState: 'approved',
      changeRequest: null,
      source: {
        document: 'My deal letter',
        section: null,
        quote: 'Alpha business park (£1m)',
        printed: '£1m',
        illustrative: false,
      },
    });
    const headline = (await t.request('GET', `${P}/headlines`)).body.items[0];
    expect([headline.code, headline.value]).toEqual(['LGF-AWARD', '1500000.00']);
    const audit = await t.ds.query(
      `SELECT action, entity, actor FROM audit_entry WHERE entity = 'programme' AND action = 'seed'`,
    );
    expect(audit).toEqual([{ action: 'seed', entity: 'programme', actor: t.adminActor }]);
    const again = await t.request('POST', '/api/deals', MY);
    expect([again.status, again.body.code, again.body.message]).toEqual([
      409,
      'DUPLICATE',
      'name: a deal with name "my-growth-deal" already exists',
    ]);
  });

  it('loads the bundled 2014 seed file unchanged through the same route', async () => {
    const seed = JSON.parse(readFileSync(join(__dirname, '..', 'seeds', 'growth-deal-2014.json'), 'utf8'));
    const res = await t.request('POST', '/api/deals', seed);
    expect([res.status, res.body.loaded, res.body.programme]).toEqual([201, true, 'SSLEP-GD-2014']);
    const env = (await t.request('GET', '/api/programmes/SSLEP-GD-2014/envelope')).body.items;
    expect(
      Object.fromEntries(env.map((e: { sourceKind: string; approved: string }) => [e.sourceKind, e.approved])),
    ).toEqual(APPROVED_BY_SOURCE_2014);
  });

  it('creates a pool through the API, refusing a duplicate or an unknown member', async () => {
    expect((await finance('POST', `${P}/pools`, { code: 'X', name: 'x', projects: [] })).status).toBe(403);
    const pool = await t.request('POST', `${P}/pools`, {
      code: 'ALPHA-ONLY',
      name: 'Alpha’s private match',
      projects: ['ALPHA'],
      source: { document: 'Board minute 2016/3', quote: 'private match for Alpha' },
    });
    expect([pool.status, pool.body]).toEqual([
      201,
      {
        id: expect.any(Number),
        code: 'ALPHA-ONLY',
        name: 'Alpha’s private match',
        theme: null,
        description: null,
        projects: ['ALPHA'],
        source: {
          document: 'Board minute 2016/3',
          section: null,
          quote: 'private match for Alpha',
          printed: null,
          illustrative: false,
        },
      },
    ]);
    const dup = await t.request('POST', `${P}/pools`, { code: 'ALPHA-ONLY', name: 'again', projects: [] });
    expect([dup.status, dup.body.code]).toEqual([409, 'DUPLICATE']);
    const before = await tableCounts(t.ds);
    const unknown = await t.request('POST', `${P}/pools`, { code: 'P2', name: 'p2', projects: ['ALPHA', 'NOPE'] });
    expect([unknown.status, unknown.body.code]).toEqual([422, 'UNKNOWN_REFERENCE']);
    expect(unknown.body.message).toContain('projects');
    expect(await tableCounts(t.ds)).toEqual(before);
    expect((await t.request('GET', `${P}/pools`)).body.map((p: { code: string }) => p.code)).toEqual([
      'ALPHA-ONLY',
      'SITES-PRIVATE',
    ]);
  });

  it('accepts provenance on a draft allocation, a reallocation’s new line and an added project’s money', async () => {
    const source = {
      document: 'Board minute 2016/4',
      section: 'Item 3',
      quote: 'approved £100,000',
      printed: '£100,000',
    };
    const draft = await t.request('POST', `${P}/allocations`, {
      sourceKind: 'PRIVATE_MATCH',
      pool: 'ALPHA-ONLY',
      period: '2016-17',
      amount: '100000.00',
      commitmentStatus: 'indicative',
      source,
    });
    expect([draft.status, draft.body.source]).toEqual([201, { ...source, illustrative: false }]);
    const bad = await t.request('POST', `${P}/allocations`, {
      sourceKind: 'LGF',
      period: '2016-17',
      amount: '1.00',
      commitmentStatus: 'confirmed',
      source: { document: 'x' },
    });
    expect([bad.status, bad.body.message]).toEqual([400, expect.stringContaining('source.quote')]);

    const alpha = (await t.request('GET', `${P}/allocations?project=ALPHA`)).body.items[0];
    const approver = await t.as('approver');
    async function approved(kind: string, payload: unknown) {
      const d = await finance('POST', `${P}/change-requests`, { kind, title: kind, reason: 'board', payload });
      expect([d.status, d.body.message]).toEqual([201, undefined]);
      expect((await finance('POST', `${P}/change-requests/${d.body.number}/submit`, {})).status).toBe(200);
      const a = await approver('POST', `${P}/change-requests/${d.body.number}/approve`, {});
      expect([a.status, a.body.message]).toEqual([200, undefined]);
      return a.body;
    }
    const moved = await approved('reallocation', {
      lines: [
        { allocationId: alpha.id, delta: '-100000.00' },
        {
          new: { sourceKind: 'LGF', project: 'BETA', period: '2017-18', commitmentStatus: 'confirmed', source },
          amount: '100000.00',
        },
      ],
    });
    // Room in the envelope for the added project: BETA releases 1.00 to the headroom.
    const beta = (await t.request('GET', `${P}/allocations?project=BETA`)).body.items[0];
    await approved('reallocation', { lines: [{ allocationId: beta.id, delta: '-1.00' }] });
    const added = await approved('add_project', {
      code: 'GAMMA',
      name: 'Gamma',
      allocations: [
        {
          sourceKind: 'LGF',
          period: 'unprofiled',
          amount: '1.00',
          commitmentStatus: 'provisional',
          source: { document: 'Board minute 2016/5', quote: 'Gamma' },
        },
      ],
    });
    const items = (await t.request('GET', `${P}/allocations?limit=100`)).body.items as {
      project: string;
      period: string;
      changeRequest: number | null;
      source: unknown;
    }[];
    expect(items.find((a) => a.project === 'BETA' && a.period === '2017-18')).toMatchObject({
      changeRequest: moved.number,
      source: { ...source, illustrative: false },
    });
    expect(items.find((a) => a.project === 'GAMMA')).toMatchObject({
      changeRequest: added.number,
      source: { document: 'Board minute 2016/5', section: null, quote: 'Gamma', printed: null },
    });
  });

  it('takes a headline’s money as amount (the deal file’s name) and still as value', async () => {
    const base = {
      measure: 'LGF_TOTAL',
      label: 'x',
      qualifier: 'exact',
      unit: 'pounds',
      precision: '100000.00',
      rule: { allocations: { sourceKinds: ['LGF'] } },
      source: { document: 'My deal letter', quote: 'x' },
    };
    const a = await t.request('POST', `${P}/headlines`, { ...base, code: 'H-AMOUNT', amount: '1500000.00' });
    const v = await t.request('POST', `${P}/headlines`, { ...base, code: 'H-VALUE', value: '1500000.00' });
    expect([a.status, a.body.value, v.status, v.body.value]).toEqual([201, '1500000.00', 201, '1500000.00']);
    const none = await t.request('POST', `${P}/headlines`, { ...base, code: 'H-NONE' });
    expect([none.status, none.body.message]).toEqual([400, expect.stringContaining('value: must be a whole number')]);
  });
});
