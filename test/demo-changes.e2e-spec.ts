import { AuditEntry } from '../src/audit/audit-entry.entity';
import { DemoService } from '../src/demo/demo.service';
import { databaseKinds } from './support/databases';
import { startTestApp, tableCounts, TestApp } from './support/test-app';

const P = '/api/programmes/SSLEP-GD-2014';

/** The illustrative change requests of seeds/demo-changes.json, replayed with their own dates. */
describe.each(databaseKinds())('the illustrative demo change requests on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, { DEMO_DATA: 'true' });
  });
  afterAll(async () => t?.close());

  it('lists four change requests in plain words, decided inside their quarters', async () => {
    const res = await t.request('GET', `${P}/change-requests`);
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(4);
    const rows = res.body.items.map((c: Record<string, unknown>) => [
      c.number,
      c.kind,
      c.state,
      c.submittedAt,
      c.decidedAt,
      c.description,
    ]);
    expect(rows).toEqual([
      [
        4,
        'reprofile_spend',
        'submitted',
        '2017-02-07T10:00:00.000Z',
        null,
        'Move £400,000.00 of Etruria Valley Enterprise Area’s Provisional Local Growth Fund allocation baseline spend from 2017-18 Q1 to 2018-19 Q1 (same total).',
      ],
      [
        3,
        'reprofile_spend',
        'rejected',
        '2016-08-23T09:00:00.000Z',
        '2016-09-21T16:00:00.000Z',
        'Move £300,000.00 of Branston Interchange’s Provisional Local Growth Fund allocation baseline spend from 2016-17 Q3 to 2017-18 Q3 (same total).',
      ],
      [
        2,
        'rebaseline_milestone',
        'approved',
        '2016-05-10T11:00:00.000Z',
        '2016-06-16T15:30:00.000Z',
        'Re-baselined Local Sustainable Transport Package’s “Main contract awarded” from 29 July 2016 to 30 September 2016 (63 days later).',
      ],
      [
        1,
        'reallocation',
        'approved',
        '2015-10-20T14:00:00.000Z',
        '2015-12-10T16:00:00.000Z',
        'Moved £200,000.00 of Local Growth Fund award from Meaford employment site to Lichfield Park employment site.',
      ],
    ]);
    for (const c of res.body.items) {
      expect(c.title).toContain('(illustrative)');
      expect(c.submittedBy).toBe('demo programme manager (illustrative)');
      if (c.decidedAt) expect(c.decidedBy).toBe('demo approver (illustrative)');
    }
  });

  it('the approved virement and re-baseline moved exactly what they say; the rejected one moved nothing', async () => {
    const allocations = (await t.request('GET', `${P}/allocations?limit=500`)).body.items;
    const lgf = (p: string) =>
      allocations.find((a: { project: string; sourceKind: string }) => a.project === p && a.sourceKind === 'LGF')
        .amount;
    expect([lgf('MEAFORD'), lgf('LICHFIELD')]).toEqual(['4000000.00', '4200000.00']);
    const ms = (await t.request('GET', `${P}/projects/LSTP/milestones`)).body.items.find(
      (x: { kind: string }) => x.kind === 'contract_award',
    );
    // Done 57 days after the new baseline: blue (complete however late), the lateness in the words.
    expect(ms).toMatchObject({ baselineDate: '2016-09-30', forecastDate: '2016-11-26', rag: { rag: 'blue' } });
    expect(ms.rag.explanation).toContain('57 days after the baseline 2016-09-30 (late, but complete)');
    const branston = (await t.request('GET', `${P}/projects/BRANSTON/spend`)).body.profile.filter(
      (l: { sourceKind: string; quarter: string }) => ['2016-17 Q3', '2017-18 Q3'].includes(l.quarter),
    );
    expect(branston.map((l: { quarter: string; baseline: string }) => [l.quarter, l.baseline])).toEqual([
      ['2016-17 Q3', '642857.00'],
      ['2017-18 Q3', '857142.00'],
    ]);
    const approved = (await t.request('GET', `${P}/change-requests/2`)).body;
    expect(approved.before.milestones[0]).toMatchObject({ baselineDate: '2016-07-29' });
    expect(approved.after.milestones[0]).toMatchObject({ baselineDate: '2016-09-30' });
  });

  it('the one awaiting decision can still be approved after the quarters closed', async () => {
    const before = (await t.request('GET', `${P}/projects/ETRURIA/spend`)).body.profile.filter(
      (l: { sourceKind: string }) => l.sourceKind === 'LGF_PROVISIONAL',
    );
    const res = await t.request('POST', `${P}/change-requests/4/approve`, { reason: 'Board, March 2017' });
    expect(res.status).toBe(200);
    expect(res.body.description).toBe(
      'Moved £400,000.00 of Etruria Valley Enterprise Area’s Provisional Local Growth Fund allocation baseline spend from 2017-18 Q1 to 2018-19 Q1 (same total).',
    );
    expect(res.body.after.spend).toEqual({
      project: 'ETRURIA',
      sourceKind: 'LGF_PROVISIONAL',
      quarters: [
        { quarter: '2017-18 Q1', baseline: '838461.00' },
        { quarter: '2018-19 Q1', baseline: '1638469.00' },
      ],
      total: '16100000.00',
    });
    const after = (await t.request('GET', `${P}/projects/ETRURIA/spend`)).body.profile.filter(
      (l: { sourceKind: string }) => l.sourceKind === 'LGF_PROVISIONAL',
    );
    const sum = (ls: { baseline: string }[]) => ls.reduce((s, l) => s + Math.round(Number(l.baseline) * 100), 0);
    expect(sum(after)).toBe(sum(before));
    expect(sum(after)).toBe(1_610_000_000);
  });

  it('loads once', async () => {
    const before = await tableCounts(t.ds);
    expect(await t.app.get(DemoService).load()).toEqual({ loaded: false, rows: 0 });
    expect(await tableCounts(t.ds)).toEqual(before);
    const decided = await t.ds
      .getRepository(AuditEntry)
      .count({ where: { entity: 'change_request', actor: 'demo approver (illustrative)' } });
    expect(decided).toBe(3);
  });
});
