import { DataSource } from 'typeorm';
import { runMigrations } from '../src/database/connect';
import { databaseKinds } from './support/databases';
import { startTestApp, TestApp } from './support/test-app';

/**
 * A database that held the demo before the two clocks (issue 16), upgraded by migrations, ends
 * in the same programme time as a fresh load: each change request decided in its own quarter
 * (the two-clocks backfill put every demo decision in 2015-16 Q1), each demo return submitted on
 * its due date, the programme standing at the due date of the quarter it leaves open.
 *
 * The database "as it was" is a fresh demo load with the migrations from the two clocks on
 * undone: what the demo loader wrote then is what it writes now in the columns that existed
 * (decisions at the story's dates, returns stamped with the wall-clock instant of loading).
 */
const PROG = 'SSLEP-GD-2014';
const BEFORE_TWO_CLOCKS = 'MonitoringEnd1794500000000';

async function programmeTime(ds: DataSource) {
  const decided: Record<string, unknown>[] = await ds.query(
    `SELECT c.number, c.decided_quarter FROM change_request c JOIN programme p ON p.id = c.programme_id
      WHERE p.code = '${PROG}' ORDER BY c.number`,
  );
  const returns: Record<string, unknown>[] = await ds.query(
    `SELECT v.quarter, v.version, v.submitted_on FROM return_version v JOIN programme p ON p.id = v.programme_id
      WHERE p.code = '${PROG}' ORDER BY v.quarter, v.version`,
  );
  const [prog]: Record<string, unknown>[] = await ds.query(`SELECT as_of_date FROM programme WHERE code = '${PROG}'`);
  return {
    decided: decided.map((r) => [Number(r.number), r.decided_quarter]),
    returns: returns.map((r) => [r.quarter, Number(r.version), r.submitted_on]),
    asOf: prog.as_of_date,
  };
}

describe.each(databaseKinds())('the demo upgraded from before the two clocks, on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, { DEMO_DATA: 'true' });
  });
  afterAll(async () => t?.close());

  it('ends with every change request in the quarter a fresh load gives, and the demo returns and as-of date as fresh', async () => {
    const fresh = await programmeTime(t.ds);
    // A fresh load, by hand from seeds/demo-changes.json and seeds/demo-delivery.json: decided
    // 10 December 2015, 16 June 2016 and 21 September 2016 (rejected); the fourth is undecided.
    expect(fresh.decided).toEqual([
      [1, '2015-16 Q3'],
      [2, '2016-17 Q1'],
      [3, '2016-17 Q2'],
      [4, null],
    ]);
    // Each closed quarter's return on its due date (one month after the quarter ends).
    expect(fresh.returns).toEqual([
      ['2015-16 Q1', 1, '2015-07-31'],
      ['2015-16 Q2', 1, '2015-10-31'],
      ['2015-16 Q3', 1, '2016-01-31'],
      ['2015-16 Q4', 1, '2016-04-30'],
      ['2016-17 Q1', 1, '2016-07-31'],
      ['2016-17 Q2', 1, '2016-10-31'],
      ['2016-17 Q3', 1, '2017-01-31'],
    ]);
    expect(fresh.asOf).toBe('2017-04-30');

    // Back to the schema before the two clocks: the demo as a database of that time held it.
    const applied = async () =>
      ((await t.ds.query('SELECT name FROM migrations ORDER BY id')) as { name: string }[]).map((r) => r.name);
    const undone: string[] = [];
    // TypeORM rebuilds a SQLite table to drop a column; with foreign keys enforced, dropping the
    // old programme table would cascade to every row of the demo.
    if (kind === 'sqlite') await t.ds.query('PRAGMA foreign_keys = OFF');
    while ((await applied()).at(-1) !== BEFORE_TWO_CLOCKS) {
      undone.push((await applied()).at(-1)!);
      await t.ds.undoLastMigration({ transaction: 'each' });
    }
    if (kind === 'sqlite') await t.ds.query('PRAGMA foreign_keys = ON');
    expect(undone).toContain('TwoClocks1795200000000');
    expect(undone).toContain('DemoProgrammeTime1796010000000');
    const columns: Record<string, unknown>[] =
      kind === 'postgres'
        ? await t.ds.query(
            `SELECT column_name AS name FROM information_schema.columns WHERE table_name = 'change_request' AND table_schema = current_schema()`,
          )
        : await t.ds.query(`PRAGMA table_info(change_request)`);
    expect(columns.map((c) => c.name)).not.toContain('decided_quarter');
    // Those returns were stamped with the wall-clock instant of loading, as the demo did then.
    const stamped: Record<string, unknown>[] = await t.ds.query(
      `SELECT DISTINCT SUBSTR(submitted_at, 1, 4) AS y FROM return_version`,
    );
    expect(stamped.map((r) => Number(r.y))).toEqual([new Date().getUTCFullYear()]);

    // Upgraded by the migrations, in order.
    const ran = await runMigrations(t.ds);
    expect(ran).toEqual([...undone].reverse());
    expect(await programmeTime(t.ds)).toEqual(fresh);
  });

  it('leaves real decisions and returns, and a fresh load’s own values, as they were', async () => {
    // A real decision in the reporting quarter and a real programme date: nothing the migration
    // recognises as the demo's, so running it again changes nothing.
    await t.ds.query(
      `UPDATE change_request SET decided_quarter = '2016-17 Q4', illustrative = ${kind === 'postgres' ? 'FALSE' : '0'}, created_by = 'Pat' WHERE number = 3`,
    );
    const before = await programmeTime(t.ds);
    await t.ds.query(`DELETE FROM migrations WHERE name = 'DemoProgrammeTime1796010000000'`);
    expect(await runMigrations(t.ds)).toEqual(['DemoProgrammeTime1796010000000']);
    const after = await programmeTime(t.ds);
    expect(after).toEqual(before);
    expect(after.decided[2]).toEqual([3, '2016-17 Q4']);
  });
});
