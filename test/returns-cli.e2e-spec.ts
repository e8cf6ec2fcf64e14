import ExcelJS from 'exceljs';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './support/cli';
import { databaseKinds } from './support/databases';
import { startTestApp, TestApp } from './support/test-app';

/**
 * The "Done when": on a database started without the demo (reporting quarter
 * 2015-16 Q1), a finance officer produces, checks and submits the return with three commands.
 */
describe.each(databaseKinds())('the finance officer’s three commands on %s', (kind) => {
  let t: TestApp;
  let dir: string;
  let finance: string;
  beforeAll(async () => {
    t = await startTestApp(kind, { DEMO_DATA: 'false' });
    dir = mkdtempSync(join(tmpdir(), 'returns-cli-'));
    finance = await t.userFor('finance');
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('exports, checks and submits the 2015-16 Q1 return of the 2014 deal', async () => {
    const at = ['--programme', 'SSLEP-GD-2014', '--quarter', '2015-16 Q1'];
    const file = join(dir, 'q1.xlsx');
    const exp = await cli(['return', 'export', ...at, '--out', file], t.env);
    expect([exp.code, exp.err]).toEqual([0, '']);
    expect(exp.out).toMatch(/^draft return version 1 written to .*q1\.xlsx \(content hash [0-9a-f]{64}\)\n$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(file) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      'Cover',
      'Summary',
      'Finance',
      'Forecast by year',
      'Milestones',
      'Outputs',
      'Change requests',
      'Reconciliation',
      'Checks',
    ]);

    const check = await cli(['return', 'check', ...at, '--as', finance], t.env);
    expect(check.code).toBe(0);
    // The deal's commitments, as loaded with nothing recorded since, are a note (grey "not
    // recorded", counted apart), not an overdue warning (DESIGN.md, 2026-12).
    expect(check.out.split('\n').slice(0, 2)).toEqual([
      'SSLEP-GD-2014 2015-16 Q1 (draft version 1): 0 errors, 1 warnings, 6 notes',
      expect.stringMatching(
        /^ {2}1\. WARNING HEADLINE_UNRECONCILED \[reconciliation\] 11 published headlines do not reconcile/,
      ),
    ]);
    expect(check.out).toMatch(
      /NOTE {4}COMMITMENT_NOT_RECORDED \[milestones\] 10 deal commitments have no recorded status/,
    );

    // A submission names its finance officer: without --as, or as a viewer, it is refused.
    const nobody = await cli(['return', 'submit', ...at], t.env);
    expect([nobody.code, nobody.err]).toEqual([
      2,
      "error: as: return submit writes as a named user: add --as <email> of a user whose role may do this (admin, finance). The CLI is an operator's tool with database access, so --as is attribution, not authentication\n",
    ]);
    const viewer = await cli(['return', 'submit', ...at, '--as', await t.userFor('viewer')], t.env);
    expect([viewer.code, viewer.err]).toEqual([
      2,
      'error: your role (viewer) may not do this; allowed: admin, finance\n',
    ]);

    const missing = await cli(['return', 'submit', ...at, '--as', finance], t.env);
    expect(missing.code).toBe(2);
    expect(missing.err).toBe(
      'error: comments: every warning needs a written comment before submission; missing for: HEADLINE_UNRECONCILED\n',
    );

    // The programme's own as-of date (programme time) decides the submission's date: three days
    // after the return fell due (2015-16 Q1 ends 30 June 2015; due one month later, 31 July).
    await t.ds.query(`UPDATE programme SET as_of_date = '2015-08-03' WHERE code = 'SSLEP-GD-2014'`);
    const sub = await cli(
      [
        'return',
        'submit',
        ...at,
        '--comment',
        'HEADLINE_UNRECONCILED=Published totals differ from the project figures as the Reconciliation sheet shows',
        '--as',
        finance,
      ],
      t.env,
    );
    expect([sub.code, sub.err]).toEqual([0, '']);
    // Programme time first, the wall-clock instant recorded beside it, then the due date and the verdict.
    expect(sub.out).toMatch(
      /^submitted SSLEP-GD-2014 2015-16 Q1 version 1 on 3 August 2015 \(programme date 2015-08-03; recorded \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z UTC\) by Test finance \d+ <finance-\d+@test\.invalid> via cli:\S+\ndue by 31 July 2015: submitted late, 3 days after the due date\ncontent hash \(JSON snapshot\) [0-9a-f]{64}\nxlsx hash [0-9a-f]{64}\nreporting quarter is now 2015-16 Q2\n$/,
    );
    const recorded = /recorded (\S+) UTC/.exec(sub.out)![1];
    const [stored] = await t.ds.query(
      `SELECT v.submitted_on, v.submitted_at FROM return_version v JOIN programme p ON p.id = v.programme_id
        WHERE p.code = 'SSLEP-GD-2014' AND v.quarter = '2015-16 Q1' AND v.version = 1`,
    );
    expect(String(stored.submitted_on)).toBe('2015-08-03');
    expect(new Date(stored.submitted_at).toISOString()).toBe(recorded);
    // The staff return page says the same: submitted late, on the programme date, recorded at the instant.
    const page = await cli(['return', 'list', '--programme', 'SSLEP-GD-2014'], t.env);
    expect(page.out).toContain('2015-16 Q1  due 2015-07-31  submitted 2015-08-03 (3 days late), version 1');
    const xlsxHash = /xlsx hash ([0-9a-f]{64})/.exec(sub.out)![1];

    const frozen = join(dir, 'q1-submitted.xlsx');
    const again = await cli(['return', 'export', ...at, '--out', frozen], t.env);
    expect(again.out).toMatch(/^submitted return version 1 written to /);
    expect(createHash('sha256').update(readFileSync(frozen)).digest('hex')).toBe(xlsxHash);

    // A correction a month later: dated by the programme, judged by the first version.
    await t.ds.query(`UPDATE programme SET as_of_date = '2015-09-04' WHERE code = 'SSLEP-GD-2014'`);
    const v2 = await cli(
      [
        'return',
        'submit',
        ...at,
        '--reason',
        'Corrected an actual',
        '--comment',
        'HEADLINE_UNRECONCILED=Published totals differ from the project figures as the Reconciliation sheet shows',
        '--as',
        finance,
      ],
      t.env,
    );
    expect([v2.code, v2.err]).toEqual([0, '']);
    expect(v2.out.split('\n').slice(0, 2)).toEqual([
      expect.stringMatching(
        /^submitted SSLEP-GD-2014 2015-16 Q1 version 2 on 4 September 2015 \(programme date 2015-09-04; recorded \S+Z UTC\) by /,
      ),
      'due by 31 July 2015: first submitted on 3 August 2015 (version 1), late by 3 days',
    ]);
  }, 120_000);
});
