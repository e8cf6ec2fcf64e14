import { createHash } from 'node:crypto';
import { runMigrations } from '../src/database/connect';
import { ReturnVersion } from '../src/periods/return-version.entity';
import { Programme } from '../src/programmes/programme.entity';
import { readSnapshot, snapshotTextSql } from '../src/periods/return-snapshot';
import { FrozenVersion, storedSummaryTotals, storeReturnVersion } from '../src/returns/store-version';
import { databaseKinds } from './support/databases';
import { startTestApp, TestApp } from './support/test-app';

/** A submitted return's snapshot stored in ordered pieces (returns/store-version.ts, periods/return-snapshot.ts). */
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
  const pieces = async (versionId: number) =>
    (await t.ds.query(
      `SELECT n, text, ${kind === 'postgres' ? 'pg_typeof(text)::text' : 'typeof(text)'} AS type
       FROM return_snapshot_piece WHERE version_id = ${kind === 'postgres' ? '$1' : '?'} ORDER BY n`,
      [versionId],
    )) as { n: unknown; text: string; type: string }[];

  it('stores the pieces in order as text, read back joined character for character', async () => {
    const text = `{"label":"Local partners’ match funding 🏗","n":${'1'.repeat(1000)}}`;
    const cut = text.indexOf('’') + 1;
    const parts = [text.slice(0, cut), text.slice(cut, 700), text.slice(700)];
    const stored = await t.db.write((m) => storeReturnVersion(m, version(1), parts));
    expect(stored.sha256).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
    const row = await t.ds.manager.findOneByOrFail(ReturnVersion, { programmeId, version: 1 });
    expect(row.id).toBe(stored.id);
    expect(row.comments).toEqual({ W: 'c' });
    const rows = await pieces(row.id);
    expect(rows.map((r) => [Number(r.n), r.text, r.type])).toEqual(parts.map((p, n) => [n, p, 'text']));
    expect(await readSnapshot(t.ds.manager, row.id)).toBe(text);
    // Joined by the database, as the statements that take a part of it out there see it.
    const [joined] = (await t.ds.query(`SELECT ${snapshotTextSql(kind, kind === 'postgres' ? '$1' : '?')} AS text`, [
      row.id,
    ])) as { text: string }[];
    expect(joined.text).toBe(text);
  });

  it('writes nothing, pieces included, when the row is refused (the same version twice)', async () => {
    const before = Number(
      ((await t.ds.query('SELECT COUNT(*) AS n FROM return_snapshot_piece')) as { n: unknown }[])[0].n,
    );
    await expect(t.db.write((m) => storeReturnVersion(m, version(1), ['{"again":true}']))).rejects.toThrow();
    expect(await t.ds.manager.countBy(ReturnVersion, { programmeId })).toBe(1);
    const after = Number(
      ((await t.ds.query('SELECT COUNT(*) AS n FROM return_snapshot_piece')) as { n: unknown }[])[0].n,
    );
    expect(after).toBe(before);
    const two = await t.db.write((m) => storeReturnVersion(m, version(2), ['{"v":', '2}']));
    expect(await readSnapshot(t.ds.manager, two.id)).toBe('{"v":2}');
  });

  it('an empty snapshot is one empty piece, and a version removed takes its pieces with it', async () => {
    const empty = await t.db.write((m) => storeReturnVersion(m, version(9), []));
    expect((await pieces(empty.id)).map((r) => r.text)).toEqual(['']);
    expect(await readSnapshot(t.ds.manager, empty.id)).toBe('');
    await t.ds.manager.delete(ReturnVersion, { id: empty.id });
    expect(await pieces(empty.id)).toEqual([]);
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
    await t.db.write((m) => storeReturnVersion(m, v, [text.slice(0, 40), text.slice(40)]));
    const row = await t.ds.manager.findOneByOrFail(ReturnVersion, { programmeId, version: 3 });
    const totals = await t.db.read((m) => storedSummaryTotals(m, row.id));
    expect(totals).toEqual({ a: '1935050000.00', b: 1.5, c: 1e21, d: null, e: 'x"’\\' });
    const parsed = JSON.parse(await readSnapshot(t.ds.manager, row.id)) as typeof doc;
    expect(totals).toEqual(parsed.sections[1].totals[1].values);
    expect(Object.keys(totals!)).toEqual(['a', 'b', 'c', 'd', 'e']);
    // A snapshot without a summary section has no totals.
    await t.db.write((m) => storeReturnVersion(m, version(4), ['{"sections":[{"key":"finance"}]}']));
    const four = await t.ds.manager.findOneByOrFail(ReturnVersion, { programmeId, version: 4 });
    expect(await t.db.read((m) => storedSummaryTotals(m, four.id))).toBeNull();
  });

  it('moves snapshots stored whole into pieces on upgrade, and back on downgrade, character for character', async () => {
    // Past one piece (262,144 characters), with characters past Latin-1 and outside the BMP on the cut.
    const filler = 'a'.repeat(262_143);
    const big = `{"x":"${filler}’🏗${'b'.repeat(300_000)}"}`;
    const small = '{"v":"’"}';
    const a = await t.db.write((m) => storeReturnVersion(m, version(5), [big.slice(0, 1000), big.slice(1000)]));
    const b = await t.db.write((m) => storeReturnVersion(m, version(6), [small]));
    const applied = async () =>
      ((await t.ds.query('SELECT name FROM migrations ORDER BY id')) as { name: string }[]).map((r) => r.name).at(-1);
    expect(await applied()).toBe('ReturnSnapshotPieces1796100000000');
    await t.ds.undoLastMigration({ transaction: 'each' });
    const whole = (await t.ds.query(
      `SELECT id, snapshot FROM return_version WHERE id IN (${a.id}, ${b.id}) ORDER BY id`,
    )) as { id: unknown; snapshot: string }[];
    expect(whole.map((r) => r.snapshot)).toEqual([big, small]);
    expect(await runMigrations(t.ds)).toEqual(['ReturnSnapshotPieces1796100000000']);
    expect(await readSnapshot(t.ds.manager, a.id)).toBe(big);
    expect(await readSnapshot(t.ds.manager, b.id)).toBe(small);
    // Cut by characters: the first piece ends just before ’, the second starts with it.
    const cut = await pieces(a.id);
    expect(cut.length).toBe(3);
    expect(cut[0].text).toBe(`{"x":"${filler.slice(0, 262_138)}`);
    expect(cut[1].text.startsWith(`${'a'.repeat(5)}’🏗b`)).toBe(true);
  });
});
