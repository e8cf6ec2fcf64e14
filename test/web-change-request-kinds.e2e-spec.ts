import { databaseKinds } from './support/databases';
import { startTestApp, tableCounts, TestApp } from './support/test-app';
import { makeUser, pageText, WebClient } from './support/web-client';

const CODE = 'SSLEP-GD-2014';
const NEW = '/manage/change-requests/new';
const page = (n: number) => `/manage/change-requests/${n}?programme=${CODE}`;

/** The error summary's items: "href text". */
function summary(html: string): string[] {
  const start = html.indexOf('govuk-error-summary__list');
  if (start < 0) return [];
  const list = html.slice(start, html.indexOf('</ul>', start));
  return [...list.matchAll(/<a [^>]*href="([^"]+)"[^>]*>([\s\S]*?)<\/a>/g)].map((m) => `${m[1]} ${pageText(m[2])}`);
}

/** The rows of the table marked `data-<name>`, each as its cells' text. */
function table(html: string, name: string): string[][] {
  const start = html.indexOf(`data-${name}`);
  if (start < 0) return [];
  const body = html.slice(html.indexOf('<tbody', start), html.indexOf('</tbody>', start));
  return [...body.matchAll(/<tr[\s\S]*?<\/tr>/g)].map((r) =>
    [...r[0].matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => pageText(c[1])),
  );
}

/** A select's option value by (part of) its label: what a person picks by name. */
function optionValue(html: string, name: string, label: string): string {
  const start = html.indexOf(`name="${name}"`);
  const select = html.slice(start, html.indexOf('</select>', start));
  const m = [...select.matchAll(/<option value="([^"]*)"[^>]*>([^<]*)<\/option>/g)].find((o) => o[2].includes(label));
  if (!m) throw new Error(`no option "${label}" in ${name}`);
  return m[1];
}

/**
 * Every kind of change request from its form in the staff pages: projects, allocations,
 * milestones, outputs and quarters picked from lists by their names, each drafted through the
 * change service and its description read back; each kind's own refusals land on the box that
 * caused them. Two are approved and their before and after read as tables.
 */
describe.each(databaseKinds())('every kind of change request from its form on %s', (kind) => {
  let t: TestApp;
  let admin: WebClient;
  let approver: WebClient;

  beforeAll(async () => {
    t = await startTestApp(kind, { WRITE_RATE_LIMIT: '100000' });
    await makeUser(t.app, 'admin', 'kinds-admin@test.invalid');
    await makeUser(t.app, 'approver', 'kinds-approver@test.invalid');
    admin = new WebClient(t.app, '10.5.0.1');
    approver = new WebClient(t.app, '10.5.0.2');
    expect((await admin.signIn('kinds-admin@test.invalid')).status).toBe(303);
    expect((await approver.signIn('kinds-approver@test.invalid')).status).toBe(303);
  }, 180_000);
  afterAll(async () => t?.close());

  /** The kind's form (its HTML kept for picking options by name). */
  async function form(k: string): Promise<string> {
    const res = await admin.get(`${NEW}?programme=${CODE}&kind=${k}`);
    expect(res.status).toBe(200);
    return res.body;
  }

  async function draft(k: string, fields: Record<string, string>) {
    const res = await admin.post(NEW, {
      programme: CODE,
      kind: k,
      title: `A ${k}`,
      reason: 'Tested from its form',
      ...fields,
    });
    return res;
  }

  async function created(
    k: string,
    fields: Record<string, string>,
  ): Promise<{ n: number; text: string; html: string }> {
    const res = await draft(k, fields);
    expect([k, res.status, summary(res.body)]).toEqual([k, 303, []]);
    const n = Number(/change-requests\/(\d+)\?/.exec(res.location!)![1]);
    const html = (await admin.get(page(n))).body;
    return { n, text: pageText(html), html };
  }

  async function approve(n: number) {
    await admin.post(`/manage/change-requests/${n}/submit`, { programme: CODE });
    await approver.get(page(n));
    const res = await approver.post(`/manage/change-requests/${n}/approve`, { programme: CODE });
    expect([n, res.status, summary(res.body)]).toEqual([n, 303, []]);
    return (await approver.get(page(n))).body;
  }

  it('re-profiles an allocation across years; an unbalanced split is refused on its box', async () => {
    const html = await form('reprofile_years');
    const etruria = optionValue(
      html,
      'allocation',
      'Etruria Valley Enterprise Area (ETRURIA) – Local Growth Fund award',
    );
    const counts = await tableCounts(t.ds);
    const bad = await draft('reprofile_years', {
      allocation: etruria,
      'periods-0-period': '2016-17',
      'periods-0-amount': '1,000,000',
      'periods-1-period': '2017-18',
      'periods-1-amount': '1,300,000',
    });
    expect(bad.status).toBe(422);
    expect(summary(bad.body)).toEqual([
      `#periods-0-amount Amount (line 1): the periods add up to £2,300,000.00 but the allocation is £2,400,000.00 (difference -£100,000.00): a re-profile keeps the same total`,
    ]);
    expect(bad.body).toContain('value="1,300,000"');
    expect(await tableCounts(t.ds)).toEqual(counts);
    const ok = await created('reprofile_years', {
      allocation: etruria,
      'periods-0-period': '2016-17',
      'periods-0-amount': '1,000,000',
      'periods-1-period': '2017-18',
      'periods-1-amount': '£1,400,000.00',
    });
    expect(ok.text).toContain(
      'Re-profile Etruria Valley Enterprise Area’s Local Growth Fund award across years, same total: £1,000,000.00 in 2016-17, £1,400,000.00 in 2017-18.',
    );
    const rows = [
      ['Allocation: Etruria Valley Enterprise Area (ETRURIA), LGF, 2016-17', 'period', 'unprofiled', '2016-17'],
      [
        'Allocation: Etruria Valley Enterprise Area (ETRURIA), LGF, 2016-17',
        'amount',
        '£2,400,000.00',
        '£1,000,000.00',
      ],
      [
        'Allocation: Etruria Valley Enterprise Area (ETRURIA), LGF, 2017-18',
        'amount',
        '(did not exist)',
        '£1,400,000.00',
      ],
      [
        'Allocation: Etruria Valley Enterprise Area (ETRURIA), LGF, 2017-18',
        'commitment status',
        '(did not exist)',
        'confirmed',
      ],
    ];
    expect(table(ok.html, 'before-after')).toEqual(rows);
    const done = await approve(ok.n);
    expect(pageText(done)).toContain(
      // The kind names the allocation as it now stands (its first year).
      'Re-profiled Etruria Valley Enterprise Area’s Local Growth Fund award (2016-17) across years, same total: £1,000,000.00 in 2016-17, £1,400,000.00 in 2017-18.',
    );
    expect(table(done, 'before-after')).toEqual(rows);
    // The allocations now: the award split into its two years, to the penny.
    const now = (await t.ds.query(
      `SELECT a.year_from AS y, a.amount_pence AS pence FROM allocation a JOIN project p ON p.id = a.project_id
       WHERE p.code = 'ETRURIA' AND a.source_kind = 'LGF' ORDER BY a.year_from`,
    )) as { y: number | string; pence: number | string }[];
    expect(now.map((r) => [Number(r.y), Number(r.pence)])).toEqual([
      [2016, 100_000_000],
      [2017, 140_000_000],
    ]);
  }, 120_000);

  it('drafts every other kind from its form, each described in words', async () => {
    const pick = (h: string, name: string, label: string) => optionValue(h, name, label);
    const cases: [string, (html: string) => Record<string, string>, string][] = [
      [
        'reallocation',
        (h) => ({
          'lines-0-allocation': pick(
            h,
            'lines-0-allocation',
            'Meaford employment site (MEAFORD) – Local Growth Fund award',
          ),
          'lines-0-delta': '-£100,000',
          'lines-1-allocation': pick(
            h,
            'lines-1-allocation',
            'Lichfield Park employment site (LICHFIELD) – Local Growth Fund award',
          ),
          'lines-1-delta': '100,000',
        }),
        'Move £100,000.00 of Local Growth Fund award from Meaford employment site to Lichfield Park employment site.',
      ],
      [
        'reallocation',
        (h) => ({
          newProject: 'SWAR',
          newSourceKind: 'LGF',
          newPeriod: '2018-19',
          newCommitment: 'confirmed',
          newAmount: '£50,000',
          'lines-0-allocation': pick(
            h,
            'lines-0-allocation',
            'Meaford employment site (MEAFORD) – Local Growth Fund award',
          ),
          'lines-0-delta': '-50,000',
        }),
        'Move £50,000.00 of Local Growth Fund award from Meaford employment site to Stafford Western Access Route (2018-19), a new allocation.',
      ],
      [
        'set_baseline',
        () => ({
          project: 'MEAFORD',
          sourceKind: 'LGF',
          'quarters-0-quarter': '2016-17 Q1',
          'quarters-0-amount': '2,100,000',
          'quarters-1-quarter': '2016-17 Q2',
          'quarters-1-amount': '2,100,000',
        }),
        'Set Meaford employment site’s Local Growth Fund award baseline spend profile: £4,200,000.00 over 2 quarters (2016-17 Q1 to 2016-17 Q2).',
      ],
      [
        'reduce_allocation',
        (h) => ({
          allocation: pick(h, 'allocation', 'Bericote Four Ashes employment site (BERICOTE) – Local Growth Fund award'),
          amount: '200,000',
          mode: 'release',
          why: 'Tender came in under budget',
          reference: 'Board minute 14/2016',
        }),
        'Reduce Bericote Four Ashes employment site’s Local Growth Fund award by £200,000.00: the money returns to the envelope’s headroom for other projects. Reason: Tender came in under budget (ref. Board minute 14/2016).',
      ],
      [
        'envelope_change',
        () => ({ sourceKind: 'LGF', delta: '£1,000,000' }),
        'Raise the programme’s approved envelope of Local Growth Fund award by £1,000,000.00.',
      ],
      [
        'rebaseline_milestone',
        (h) => ({
          'milestones-0-milestone': pick(h, 'milestones-0-milestone', 'Evaluation plan'),
          'milestones-0-date-day': '30',
          'milestones-0-date-month': '6',
          'milestones-0-date-year': '2015',
        }),
        "Re-baseline the programme’s “Evaluation plan for the Deal's projects produced” from 31 March 2015 to 30 June 2015 (91 days later).",
      ],
      [
        'add_project',
        () => ({ code: 'KIDSGROVE', name: 'Kidsgrove station car park', status: 'pipeline' }),
        'Add a new project, Kidsgrove station car park, with no money.',
      ],
      ['hold_project', () => ({ project: 'BRANSTON' }), 'Put Branston Interchange on hold; its money stays allocated.'],
      [
        'withdraw_project',
        () => ({ project: 'LSTP' }),
        'Withdraw Local Sustainable Transport Package from the programme: what it spent stays allocated to it and its unspent money is released for other projects.',
      ],
      ['complete_project', () => ({ project: 'BERICOTE' }), 'Record Bericote Four Ashes employment site as complete.'],
    ];
    for (const [k, fields, description] of cases) {
      const html = await form(k);
      const c = await created(k, fields(html));
      expect([k, c.text]).toEqual([k, expect.stringContaining(` Draft ${description} `)]);
    }
  }, 180_000);

  it('puts each kind’s own refusal on the box that caused it, writing nothing', async () => {
    const counts = await tableCounts(t.ds);
    const cases: [string, Record<string, string>, number, string][] = [
      [
        'envelope_change',
        { sourceKind: 'LGF', delta: '0' },
        400,
        '#delta Change to the envelope: must not be £0.00 (leave the line out)',
      ],
      [
        'reduce_allocation',
        { allocation: '7', amount: '100', why: 'x', reference: 'y' },
        400,
        '#mode Choose where the money goes',
      ],
      [
        'rebaseline_milestone',
        {
          'milestones-0-milestone': '1',
          'milestones-0-date-day': '31',
          'milestones-0-date-month': '2',
          'milestones-0-date-year': '2015',
        },
        400,
        '#milestones-0-date-day New baseline date in line 1 must be a real date',
      ],
      [
        'rebaseline_target',
        { 'targets-0-holder': '*', 'targets-0-metric': 'JOBS_CREATED', 'targets-0-target': 'many' },
        400,
        '#targets-0-target New target (line 1): must be a whole number of units (a JSON integer, e.g. 12), not negative, at most 9999999999999',
      ],
      [
        'add_project',
        { code: 'bad code', name: 'X', status: 'pipeline' },
        400,
        '#code Project code: must be a code of upper-case letters, digits, dot, dash or underscore, e.g. "ETRURIA"',
      ],
      ['hold_project', { project: '' }, 400, '#project Choose the project'],
      [
        'set_baseline',
        { project: 'MEAFORD', sourceKind: 'LGF' },
        400,
        '#quarters-0-quarter Enter at least one quarter and its baseline',
      ],
      [
        'reallocation',
        {
          newProject: 'SWAR',
          newSourceKind: 'LGF',
          newPeriod: '2018-19',
          newCommitment: 'confirmed',
          newAmount: '',
          'lines-0-allocation': '6',
          'lines-0-delta': '-5',
        },
        400,
        '#newAmount Enter amount of the new allocation',
      ],
    ];
    for (const [k, fields, status, problem] of cases) {
      await form(k);
      const res = await draft(k, fields);
      expect([k, res.status, summary(res.body)]).toEqual([k, status, [problem]]);
    }
    expect(await tableCounts(t.ds)).toEqual(counts);
  }, 180_000);
});
