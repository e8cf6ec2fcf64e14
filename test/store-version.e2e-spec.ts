import { createHash } from 'node:crypto';
import { ReturnVersion } from '../src/periods/return-version.entity';
import { Programme } from '../src/programmes/programme.entity';
import { FrozenVersion, storedSummaryTotals, storeReturnVersion } from '../src/returns/store-version';
import { databaseKinds } from './support/databases';
import { startTestApp, TestApp } from './support/test-app';

/** A submitted return's snapshot stored in pieces and joined by the database (returns/store-version.ts). */
describe.each(databaseKinds())('a frozen return stored in pieces on %s', (kind) => {
  let t: TestApp;
  let programmeId: number;
  beforeAll(async () => {
    t = await startTestApp(kind);
    programmeId = (await t.ds.manager.findOneByOrFail(Programme, { code: 'SSLEP-GD-2014' })).id;
  });
  afterAll(async () => t?.close());

  const version = (n: number): FrozenVersion => ({
    programmeId,
    quarter: '2015-16 Q1',
    version: n,
    status: 'submitted',
    snapshotSha256: 'x'.repeat(64),
    xlsxBase64: null,
    xlsxSha256: null,
    reason: n > 1 ? 'a test' : null,
    comments: { W: 'c' },
    submittedBy: 'test',
    submittedAt: '2026-12-03T07:00:00.000Z',
    submittedOn: '2015-07-31',
  });
  /**
   * Pieces left in the temporary table. SQLite has one connection; on PostgreSQL the table is the
   * session's own (any pooled connection may answer), emptied at commit by ON COMMIT DELETE ROWS.
   */
  const leftOver = async () =>
    kind === 'postgres'
      ? 0
      : Number(((await t.ds.query('SELECT COUNT(*) AS n FROM return_snapshot_part')) as { n: unknown }[])[0].n);

  it('joins the pieces in order into the text column, byte for byte, a character split between two pieces', async () => {
    const text = `{"label":"Local partners’ match funding 🏗","n":${'1'.repeat(1000)}}`;
    const whole = Buffer.from(text, 'utf8');
    const cut = whole.indexOf(Buffer.from('’')) + 1; // inside the three bytes of ’
    const pieces = [whole.subarray(0, cut), whole.subarray(cut, 700), whole.subarray(700)];
    const sha = await t.db.write((m) => storeReturnVersion(m, version(1), pieces));
    expect(sha).toBe(createHash('sha256').update(whole).digest('hex'));
    const row = await t.ds.manager.findOneByOrFail(ReturnVersion, { programmeId, version: 1 });
    expect(row.snapshot).toBe(text);
    expect(row.comments).toEqual({ W: 'c' });
    const [typed] = (await t.ds.query(
      `SELECT ${kind === 'postgres' ? 'pg_typeof(snapshot)::text' : 'typeof(snapshot)'} AS type FROM return_version WHERE version = 1`,
    )) as { type: string }[];
    expect(typed.type).toBe('text');
    expect(await leftOver()).toBe(0);
  });

  it('writes nothing, pieces included, when the row is refused (the same version twice)', async () => {
    await expect(
      t.db.write((m) => storeReturnVersion(m, version(1), [Buffer.from('{"again":true}')])),
    ).rejects.toThrow();
    expect(await t.ds.manager.countBy(ReturnVersion, { programmeId })).toBe(1);
    expect(await leftOver()).toBe(0);
    // The next submission on the same connection starts from an empty set of pieces.
    await t.db.write((m) => storeReturnVersion(m, version(2), [Buffer.from('{"v":'), Buffer.from('2}')]));
    expect((await t.ds.manager.findOneByOrFail(ReturnVersion, { programmeId, version: 2 })).snapshot).toBe('{"v":2}');
  });

  it("reads a stored snapshot's summary totals exactly as parsing the whole snapshot gives them", async () => {
    const doc = {
      cover: { note: '{"key":"summary","totals":[]}' },
      sections: [
        { key: 'finance', totals: [{ label: 'Total, all sources', values: { a: '9.00' } }] },
        {
          key: 'summary',
          title: 'Summary',
          totals: [
            { label: 'Total, LGF', where: { source: 'LGF' }, values: { a: '1.00' } },
            { label: 'Total, all sources', values: { a: '1935050000.00', b: 1.5, c: 1e21, d: null, e: 'x"’\\' } },
          ],
        },
      ],
    };
    const text = JSON.stringify(doc).replace('1.5,', '1.50,');
    const v = { ...version(3), programmeId };
    await t.db.write((m) => storeReturnVersion(m, v, [Buffer.from(text)]));
    const row = await t.ds.manager.findOneByOrFail(ReturnVersion, { programmeId, version: 3 });
    const totals = await t.db.read((m) => storedSummaryTotals(m, row.id));
    expect(totals).toEqual({ a: '1935050000.00', b: 1.5, c: 1e21, d: null, e: 'x"’\\' });
    const parsed = JSON.parse(row.snapshot) as typeof doc;
    expect(totals).toEqual(parsed.sections[1].totals[1].values);
    expect(Object.keys(totals!)).toEqual(['a', 'b', 'c', 'd', 'e']);
    // A snapshot without a summary section has no totals.
    await t.db.write((m) => storeReturnVersion(m, version(4), [Buffer.from('{"sections":[{"key":"finance"}]}')]));
    const four = await t.ds.manager.findOneByOrFail(ReturnVersion, { programmeId, version: 4 });
    expect(await t.db.read((m) => storedSummaryTotals(m, four.id))).toBeNull();
  });
});
