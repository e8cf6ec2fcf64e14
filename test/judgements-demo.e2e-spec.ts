/**
 * Issue 16, "judgements a committee can trust", on the illustrative demo history. Every expected
 * colour and figure is worked by hand from seeds/demo-delivery.json (and seeds/demo-changes.json);
 * the reasons are in the comments.
 */
import ExcelJS from 'exceljs';
import { databaseKinds } from './support/databases';
import { startTestApp, TestApp } from './support/test-app';

const P = '/api/programmes/SSLEP-GD-2014';

interface Part {
  rag: string;
  explanation: string;
  numbers: Record<string, unknown>;
}
interface ProjectRag {
  project: string;
  overall: Part;
  finance: Part & { parts: { overspend: Part; riskToSpend: Part; slippage: Part } };
  milestones: Part;
  outputs: Part;
}

describe.each(databaseKinds())('judgements on the demo history (%s)', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, { DEMO_DATA: 'true' });
  });
  afterAll(async () => t?.close());

  const rag = async () => {
    const body = (await t.request('GET', `${P}/rag`)).body as { reportingQuarter: string; projects: ProjectRag[] };
    return { ...body, by: Object.fromEntries(body.projects.map((p) => [p.project, p])) };
  };

  it('the dashboard counts late milestones as the return does, and says what each count is', async () => {
    // Reporting quarter 2016-17 Q4 (ends 2017-03-31). Of the 40 project milestones:
    // overdue (open, forecast passed): MEAFORD start on site, forecast 2017-02-15;
    // slipped (open, forecast not reached): BRANSTON practical completion 2019-05-13, 45 days after 2019-03-29;
    // completed late (blue, not late): BRANSTON start on site (45 days), SWAR start on site (14),
    // LSTP main contract awarded (57, after its re-baseline to 2016-09-30), LSTP start on site (120).
    const o = await t.anonymous('GET', `${P}/overview`);
    const late = o.body.sections.find((s: { id: string }) => s.id === 'late-milestones').data;
    expect(late.tally).toMatchObject({ projectMilestones: 40, overdue: 1, slipped: 1, late: 2, completeLate: 4 });
    const live = (await t.request('GET', `${P}/returns/2016-17-Q4?live=true`)).body.return;
    const check = (code: string) => live.checks.find((c: { code: string }) => c.code === code)?.message as string;
    expect(check('MILESTONE_OVERDUE')).toMatch(
      /^1 milestone's forecast date passed before 2017-03-31 with no actual date: MEAFORD: Start on site \(forecast 2017-02-15\)\. 2 of 40 project milestones are late: 1 overdue/,
    );
    expect(check('MILESTONE_SLIPPED')).toMatch(
      /^1 open milestone has slipped against the baseline: BRANSTON: Practical completion/,
    );
    expect(check('MILESTONE_COMPLETED_LATE')).toMatch(/^4 milestones were completed after the baseline/);
    const page = (await t.anonymous('GET', '/programmes/SSLEP-GD-2014')).text.replace(/\s+/g, ' ');
    expect(page).toContain(
      '2 of 40 project milestones are late: 1 overdue (forecast date passed, not done) and 1 slipped past the baseline (forecast not yet reached); 4 more were completed late (blue: complete)',
    );
  });

  it('every sheet of the return workbook prints A4 landscape, one page wide, headed and footed', async () => {
    const res = await t.getBytes(`${P}/returns/2016-17-Q4?format=xlsx`);
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.bytes);
    expect(wb.worksheets.length).toBeGreaterThan(5);
    for (const ws of wb.worksheets) {
      expect([ws.name, ws.pageSetup]).toMatchObject([
        ws.name,
        {
          paperSize: 9,
          orientation: 'landscape',
          fitToPage: true,
          fitToWidth: 1,
          fitToHeight: 0,
          printTitlesRow: '1:1',
        },
      ]);
      expect(ws.headerFooter.oddFooter).toBe(
        '&L&8Stoke-on-Trent and Staffordshire Growth Deal (2014)&C&8Quarterly return 2016-17 Q4, version 1 (draft)&R&8&A, page &P of &N',
      );
    }
  });

  it('before the last quarter is submitted: a slow year is "underspend risk", never "overspend"', async () => {
    const r = await rag();
    expect(r.reportingQuarter).toBe('2016-17 Q4');
    // No project's outturn exceeds its approved allocation: overspend is green (or not judged) everywhere.
    for (const p of r.projects) expect(p.finance.parts.overspend.rag).not.toBe('red');
    // BRANSTON: 2016-17 forecast £1,031,785.00 of its baseline profile £2,142,855.00 = 48.1 % < 85 %.
    expect(r.by.BRANSTON.finance.parts.riskToSpend).toMatchObject({
      rag: 'red',
      explanation:
        'forecast £1031785.00 is 48.1% of the baseline profile £2142855.00 for 2016-17: below 85% (underspend risk)',
    });
    expect(r.projects.filter((p) => p.overall.rag === 'red').map((p) => p.project)).toEqual(['BRANSTON', 'MEAFORD']);
  });

  it('the last demo quarter, submitted, leaves one red: MEAFORD, for an overdue start on site and a jobs forecast below 75 %', async () => {
    const live = (await t.request('GET', `${P}/returns/2016-17-Q4?live=true`)).body.return;
    const comments = Object.fromEntries(
      live.checks
        .filter((c: { severity: string }) => c.severity === 'warning')
        .map((c: { code: string }) => [c.code, `test comment on ${c.code}`]),
    );
    const sub = await t.request('POST', `${P}/returns/2016-17-Q4/submit`, { comments });
    expect(sub.status).toBe(201);
    const r = await rag();
    // The last quarter of the demo history is submitted; the reporting quarter moves on to 2017-18 Q1 (ends 2017-06-30).
    expect(r.reportingQuarter).toBe('2017-18 Q1');
    const reds = r.projects.filter((p) => p.overall.rag === 'red');
    expect(reds.map((p) => p.project)).toEqual(['MEAFORD']);
    const m = r.by.MEAFORD;
    // Finance green: outturn within the allocation; 2017-18 forecast above its small profile is "ahead of profile".
    expect(m.finance.rag).toBe('green');
    expect(m.finance.parts.riskToSpend.explanation).toContain('ahead of profile');
    // Milestones red: start on site, baseline 2016-09-30, forecast 2017-02-15 passed before 2017-06-30, no actual.
    expect(m.milestones.rag).toBe('red');
    expect(m.milestones.explanation).toBe(
      '1 red, 0 amber, 1 green, 3 blue (complete); worst: Start on site: overdue: forecast date 2017-02-15 is before the end of the reporting quarter (2017-06-30) and no actual date is recorded',
    );
    // Outputs red: JOBS_CREATED forecast 500 of the target 700 = 71.4 % < 75 %; not yet due (2021-03-31).
    expect(m.outputs.rag).toBe('red');
    expect(m.outputs.explanation).toBe(
      '1 red, 0 amber, 0 green, 0 blue (complete); worst: JOBS_CREATED (not yet due: due 2021-03-31): forecast 500 is 71.4% of the target 700: below 75%; delivered so far 0 (progress, to the end of the last submitted quarter)',
    );
    // Nobody else is red on any part; nothing is "overspend"; money brought into 2017-18 is a note.
    for (const p of r.projects) {
      expect(p.finance.rag).not.toBe('red');
      expect(p.finance.parts.overspend.rag).toBe('green');
    }
    // LICHFIELD: £324,000.00 forecast for 2017-18 against a £200,000.00 profile = 162.0 %: ahead of profile, green.
    expect(r.by.LICHFIELD.finance.parts.riskToSpend).toMatchObject({
      rag: 'green',
      explanation:
        'forecast £324000.00 is 162.0% of the baseline profile £200000.00 for 2017-18: ahead of profile (a note, not a risk; the total is judged by the overspend line)',
    });
    // AMSH: £275,900.00 forecast for 2017-18 with no profile for that year: ahead of profile, not overspend.
    expect(r.by.AMSH.finance.parts.riskToSpend.explanation).toBe(
      'ahead of profile: £275900.00 is forecast for 2017-18, which has no baseline profile (spend brought forward; the total is judged by the overspend line)',
    );
    // Slippage is measured against the return just submitted: nothing has moved since.
    expect(r.by.SWAR.finance.parts.slippage).toMatchObject({
      rag: 'green',
      numbers: { lastReturn: '2016-17 Q4', moved: '0.00' },
    });
    // Delivered is to the end of the last submitted quarter (now 2016-17 Q4): BERICOTE 30 jobs, progress only.
    expect(r.by.BERICOTE.outputs.explanation).toContain(
      'delivered so far 30 (progress, to the end of the last submitted quarter)',
    );
  });
});
