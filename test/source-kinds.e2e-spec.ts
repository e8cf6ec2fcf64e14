import { databaseKinds } from './support/databases';
import { startTestApp, TestApp } from './support/test-app';

/** Issue 14: a new programme can be given money on a database nobody has seeded. */
describe.each(databaseKinds())('source kinds on an empty %s database', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, { SEED_ON_START: 'false' });
  });
  afterAll(async () => t?.close());

  it('lists the five kinds of the deal (and the revenue grant) before any seed runs', async () => {
    expect((await t.request('GET', '/api/programmes')).body.items ?? []).toEqual([]);
    const res = await t.anonymous('GET', '/api/source-kinds');
    expect(res.status).toBe(200);
    expect(
      res.body.map((k: { code: string; capital: boolean; isMatch: boolean }) => [k.code, k.capital, k.isMatch]),
    ).toEqual([
      ['LGF', true, false],
      ['LGF_PRECOMMITTED', true, false],
      ['LGF_PROVISIONAL', true, false],
      ['LOCAL_MATCH', true, true],
      ['PRIVATE_MATCH', true, true],
      ['REVENUE_GRANT', false, false],
    ]);
  });
});
