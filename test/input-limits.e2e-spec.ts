import { databaseKinds } from './support/databases';
import { startTestApp, tableCounts, TestApp } from './support/test-app';

/**
 * Inputs that used to reach the database or the validator and come back as 500s: an amount that
 * breaks every total, JSON nested thousands deep, U+0000 in text (PostgreSQL cannot store it),
 * integers beyond PostgreSQL's `integer`. Each is a 400 naming the field, and writes nothing.
 */
const P = '/api/programmes/SSLEP-GD-2014';
const deep = (depth: number, leaf: string) => '{"a":'.repeat(depth) + leaf + '}'.repeat(depth);

describe.each(databaseKinds())('input limits on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, { WRITE_RATE_LIMIT: '100000' });
  });
  afterAll(async () => t?.close());

  const allocation = (amount: string) => ({
    sourceKind: 'LGF',
    project: 'ETRURIA',
    period: '2017-18',
    amount,
    commitmentStatus: 'indicative',
  });

  /** The request is refused with 400 naming `field`, and no table changed. */
  async function refused(
    method: string,
    url: string,
    body: unknown,
    field: string | undefined,
    code = 'VALIDATION_FAILED',
  ) {
    const before = await tableCounts(t.ds);
    const res = await t.request(
      method,
      url,
      body,
      typeof body === 'string' ? { 'content-type': 'application/json' } : {},
    );
    expect({ status: res.status, code: res.body?.code }).toEqual({ status: 400, code });
    if (field) expect(res.body.message).toContain(field);
    expect(await tableCounts(t.ds)).toEqual(before);
    return res;
  }

  it('refuses an amount above the documented maximum (£1,000,000,000.00) in a field and in a change request', async () => {
    const res = await refused('POST', `${P}/allocations`, allocation('90071992547409.91'), 'amount');
    expect(res.body.message).toContain('at most 1000000000.00');
    await refused('POST', `${P}/allocations`, allocation('1000000000.01'), 'amount');
    const max = await t.request('POST', `${P}/allocations`, allocation('1000000000.00'));
    expect(max.status).toBe(201);
    expect(max.body.amount).toBe('1000000000.00');
    const cr = await t.request('POST', `${P}/change-requests`, {
      kind: 'envelope_change',
      title: 'too much',
      reason: 'testing the limit',
      payload: { sourceKind: 'LGF', delta: '-1000000000.01' },
    });
    expect(cr.status).toBe(400);
    expect(cr.body.message).toContain('payload.delta: must be at most 1000000000.00');
    // The breakdown including drafts still answers, with the exact total.
    const b = await t.request('GET', `${P}/breakdown?by=sourceKind&approval=all`);
    expect(b.status).toBe(200);
  });

  it('refuses JSON nested deeper than 32 levels before validation, on any write route', async () => {
    for (const depth of [33, 3_000, 100_000]) {
      await refused('POST', `${P}/allocations`, deep(depth, '1'), 'nested deeper than 32 levels', 'TOO_DEEP');
      await refused(
        'POST',
        `${P}/change-requests`,
        `{"kind":"reallocation","payload":${deep(depth, '1')}}`,
        undefined,
        'TOO_DEEP',
      );
    }
    // Brackets inside strings are text, not nesting.
    const name = '{['.repeat(100);
    const ok = await t.request('POST', `${P}/themes`, { code: 'BRACKETS', name });
    expect(ok.status).toBe(201);
    expect(ok.body.name).toBe(name);
  });

  it('refuses U+0000 in any text, key or URL', async () => {
    await refused(
      'POST',
      `${P}/themes`,
      { code: 'NUL', name: 'a\u0000b' },
      'name: must not contain the character U+0000',
    );
    await refused(
      'POST',
      `${P}/change-requests`,
      {
        kind: 'reallocation',
        title: 'ok',
        reason: 'fine reason',
        payload: { lines: [{ allocationId: 1, delta: '1.00', note: '\u0000' }] },
      },
      'payload.lines[0].note',
    );
    await refused('POST', `${P}/themes`, { code: 'NUL', ['na\u0000me']: 'x' }, 'na');
    const url = await t.request('GET', `${P}/projects/ETR%00URIA`);
    expect({ status: url.status, code: url.body.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    const q = await t.request('GET', `${P}/allocations?project=%00`);
    expect(q.status).toBe(400);
  });

  it('refuses versions and positions beyond a 4-byte integer', async () => {
    const draft = await t.request('POST', `${P}/allocations`, allocation('5.00'));
    expect(draft.status).toBe(201);
    await refused('PATCH', `${P}/allocations/${draft.body.id}`, { version: 2_147_483_648, amount: '6.00' }, 'version');
    await refused('POST', `${P}/themes`, { code: 'BIGPOS', name: 'Big position', position: 2_147_483_648 }, 'position');
    const del = await t.request('DELETE', `${P}/allocations/${draft.body.id}?version=2147483648`);
    expect({ status: del.status, code: del.body.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    // The largest allowed is a plain stale version (409), not an error.
    const stale = await t.request('PATCH', `${P}/allocations/${draft.body.id}`, {
      version: 2_147_483_647,
      amount: '6.00',
    });
    expect({ status: stale.status, code: stale.body.code }).toEqual({ status: 409, code: 'STALE_VERSION' });
  });
});
