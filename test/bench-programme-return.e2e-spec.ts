import { BaselineMismatchError } from '../src/bench/measures';
import {
  financeSql,
  measureProgrammeReturn,
  programmeReturnRows,
  PROGRAMME_RETURN_QUARTER,
} from '../src/bench/programme-return';
import { openTarget, BenchTarget } from '../src/bench/targets';
import { databaseKinds } from './support/databases';
import { ensureDist } from './support/dist';

/**
 * The bench's one-programme-return rows (issue 17): real CLI processes (export, submit) against
 * one raw statement streamed into exceljs's WorkbookWriter, cell values equal first.
 */
describe.each(databaseKinds())("bench: one programme's return against a raw statement on %s", (kind) => {
  let t: BenchTarget;
  let code: string;
  beforeAll(async () => {
    ensureDist();
    t = await openTarget(kind, { leps: 3, projects: 20, quarters: 8, seed: 5 });
    code = [...t.dataset.plan.seeds].sort((a, b) => b.projects.length - a.projects.length)[0].programme.code;
  }, 600_000);
  afterAll(async () => t?.close());

  it('checks the Finance sheet cell for cell, times both real processes, and leaves the quarter unsubmitted', async () => {
    const p = kind === 'postgres' ? '$1' : '?';
    const lines = await t.raw.all<{ n: unknown }>(
      `SELECT COUNT(*) AS n FROM spend_profile s JOIN programme g ON g.id = s.programme_id WHERE g.code = ${p}`,
      [code],
    );
    const m = await measureProgrammeReturn(t, code, 1);
    expect(m.quarter).toBe(PROGRAMME_RETURN_QUARTER);
    expect(m.financeRows).toBe(Number(lines[0].n));
    expect(m.financeRows).toBeGreaterThan(0);
    for (const kb of [m.exportPeakKb, m.submitPeakKb, m.baselinePeakKb]) expect(kb).toBeGreaterThan(30 * 1024);
    const rows = programmeReturnRows(m, kind, 20, true);
    expect(rows.map((r) => [r.measure, r.equal, r.ratio > 0])).toEqual([
      ["one programme's return export (xlsx, CLI)", true, true],
      ["one programme's return submit (CLI)", true, true],
    ]);
    expect(rows[0].pass).toBe(rows[0].ratio <= 2 && m.exportPeakKb! < 150 * 1024);
    // The submissions it timed are taken back: the measures after it see the dataset as generated.
    const versions = await t.raw.all<{ n: unknown }>(
      `SELECT COUNT(*) AS n FROM return_version v JOIN programme g ON g.id = v.programme_id WHERE g.code = ${p}`,
      [code],
    );
    expect(Number(versions[0].n)).toBe(0);
  }, 600_000);

  it('refuses to time a baseline that does not write what the app writes', async () => {
    // The same statement with one money column off by a penny: a different sheet.
    const wrong = financeSql(kind).replace('s.forecast_pence AS forecast', 's.forecast_pence + 1 AS forecast');
    expect(wrong).not.toBe(financeSql(kind));
    await expect(measureProgrammeReturn(t, code, 1, { sql: wrong })).rejects.toBeInstanceOf(BaselineMismatchError);
  }, 600_000);
});
