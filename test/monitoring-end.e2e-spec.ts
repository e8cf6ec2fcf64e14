/**
 * Issue 16: outputs may be recorded after the last spend quarter (jobs follow site access by
 * years), up to the programme's monitoring end: five years after the programme ends by default
 * (DESIGN.md, Clarifications 2026-12), configurable per programme. Spend stops at the end.
 *
 * The 2014 deal ends 2021-03-31 (2020-21 Q4): monitoring ends 2026-03-31 (2025-26 Q4).
 */
import ExcelJS from 'exceljs';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedsDir } from '../src/common/paths';
import { cli } from './support/cli';
import { databaseKinds } from './support/databases';
import { startTestApp, TestApp } from './support/test-app';

const P = '/api/programmes/SSLEP-GD-2014';

describe.each(databaseKinds())('outputs after the programme end, up to the monitoring end (%s)', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => t?.close());

  const jobs = (quarter: string, claimKey: string) =>
    t.request('POST', `${P}/projects/BERICOTE/outputs/JOBS_CREATED/actuals`, { quarter, value: 12, claimKey });

  it('defaults to five years after the programme end, shown on the programme', async () => {
    const p = await t.request('GET', P);
    expect(p.body).toMatchObject({
      endsOn: '2021-03-31',
      monitoringEndsOn: '2026-03-31',
      monitoringEndIsDefault: true,
    });
  });

  it('accepts output actuals after the programme end up to the monitoring end, refuses after it with a 400', async () => {
    const after = await jobs('2022-23 Q1', 'EMPLOYER: AFTER THE END');
    expect([after.status, after.body.quarter, after.body.value]).toEqual([201, '2022-23 Q1', 12]);
    const last = await jobs('2025-26 Q4', 'EMPLOYER: LAST MONITORED');
    expect(last.status).toBe(201);
    // Editing a post-programme claim goes through the same rule.
    const edit = await t.request('PATCH', `${P}/output-actuals/${after.body.id}`, {
      value: 13,
      version: after.body.version,
    });
    expect([edit.status, edit.body.value]).toEqual([200, 13]);
    const late = await jobs('2026-27 Q1', 'EMPLOYER: TOO LATE');
    expect(late.status).toBe(400);
    expect(late.body.message).toBe(
      "quarter: 2026-27 Q1 is after the programme's monitoring end 2026-03-31 (2025-26 Q4): outputs are recorded up to it",
    );
    expect(late.body.details.problems).toEqual([{ field: 'quarter', problem: expect.stringContaining('2026-03-31') }]);
  });

  it('spend stays refused after the programme end', async () => {
    const spend = await t.request('PUT', `${P}/projects/BERICOTE/spend/actual`, {
      sourceKind: 'LGF',
      quarter: '2021-22 Q1',
      actual: '10.00',
    });
    expect(spend.status).toBe(422);
    expect(spend.body.message).toBe('quarter: 2021-22 Q1 is outside the programme (2015-16 Q1 to 2020-21 Q4)');
  });

  it('a programme sets its own monitoring end through the API; never before its end', async () => {
    const p = await t.request('GET', P);
    const early = await t.request('PATCH', P, { monitoringEndsOn: '2020-12-31', version: p.body.version });
    expect(early.status).toBe(422);
    expect(early.body.message).toBe(
      'monitoringEndsOn: must be on or after endsOn (2021-03-31): outputs are monitored after the programme ends',
    );
    const set = await t.request('PATCH', P, { monitoringEndsOn: '2023-06-30', version: p.body.version });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ monitoringEndsOn: '2023-06-30', monitoringEndIsDefault: false });
    expect((await jobs('2023-24 Q1', 'EMPLOYER: INSIDE')).status).toBe(201);
    const out = await jobs('2023-24 Q2', 'EMPLOYER: OUTSIDE');
    expect([out.status, out.body.message]).toEqual([
      400,
      "quarter: 2023-24 Q2 is after the programme's monitoring end 2023-06-30 (2023-24 Q1): outputs are recorded up to it",
    ]);
  });

  it('a deal seed sets the monitoring end (programme.monitoringEndsOn); a bad one is refused naming it', async () => {
    const seed = JSON.parse(readFileSync(join(seedsDir(), 'growth-deal-2014.json'), 'utf8'));
    const dir = mkdtempSync(join(tmpdir(), 'gdt-monitoring-'));
    const write = (name: string, code: string, monitoringEndsOn: string) => {
      const file = join(dir, `${name}.json`);
      writeFileSync(
        file,
        JSON.stringify({
          ...seed,
          name: `${seed.name}-${name}`,
          programme: { ...seed.programme, code, monitoringEndsOn },
        }),
      );
      return file;
    };
    const bad = await cli(['seed', '--no-demo', '--file', write('bad', 'MON-BAD', '2020-01-01')], t.env);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('/programme/monitoringEndsOn: must be on or after endsOn (2021-03-31)');
    const good = await cli(['seed', '--no-demo', '--file', write('good', 'MON-GOOD', '2024-03-31')], t.env);
    expect([good.code, good.err]).toEqual([0, '']);
    const p = await t.request('GET', '/api/programmes/MON-GOOD');
    expect(p.body).toMatchObject({ monitoringEndsOn: '2024-03-31', monitoringEndIsDefault: false });
  });

  it('a partner update template for a quarter after the programme end records outputs only, through the CLI', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gdt-monitoring-'));
    const file = join(dir, 'etruria-2024.xlsx');
    const args = ['--project', 'ETRURIA', '--programme', 'SSLEP-GD-2014'];
    // The 2014 deal's monitoring end was set to 2023-06-30 above.
    const late = await cli(['template', ...args, '--quarter', '2023-24 Q2', '--out', file], t.env);
    expect([late.code, late.err]).toEqual([
      2,
      "error: quarter: 2023-24 Q2 is after the programme's monitoring end 2023-06-30 (2023-24 Q1): outputs are recorded up to it\n",
    ]);
    const tpl = await cli(['template', ...args, '--quarter', '2022-23 Q3', '--out', file], t.env);
    expect([tpl.code, tpl.err]).toEqual([0, '']);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(file));
    // No spend after the programme's end: the Spend sheet has its header only.
    expect(wb.getWorksheet('Spend')!.rowCount).toBe(1);
    wb.getWorksheet('Outputs')!.addRow([
      null,
      'JOBS_CREATED',
      '2022-23 Q3',
      'employer: Late Jobs Ltd',
      25,
      'payroll',
      null,
    ]);
    const filled = join(dir, 'etruria-2024-filled.xlsx');
    writeFileSync(filled, Buffer.from(await wb.xlsx.writeBuffer()));
    // An output claim is a programme manager's figure (the CLI import checks each cell's API roles).
    const pm = await t.userFor('programme_manager', { projects: ['ETRURIA'] });
    const res = await cli(['import', filled, '--as', pm], t.env);
    expect([res.code, res.err]).toEqual([0, '']);
    expect(res.out).toMatch(/^imported etruria-2024-filled\.xlsx for ETRURIA 2022-23 Q3: 1 change applied/);
    const claims = (await t.request('GET', `${P}/projects/ETRURIA/outputs`)).body;
    expect(JSON.stringify(claims)).toContain('EMPLOYER: LATE JOBS LTD');
  });
});
