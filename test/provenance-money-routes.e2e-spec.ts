import { databaseKinds } from './support/databases';
import { startTestApp, TestApp } from './support/test-app';

const P = '/api/programmes/SSLEP-GD-2014';

/**
 * Provenance on every money route: a repayment (and a prior-period adjustment's sibling route),
 * a reduction of an allocation and a new milestone accept the same {document, quote, section?,
 * printed?} as an allocation, store it and return it; a malformed one is refused naming the field.
 */
describe.each(databaseKinds())('provenance on the repayment, reduction and milestone routes on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, { DEMO_DATA: 'false' });
  });
  afterAll(async () => t?.close());

  const source = {
    document: 'Remittance advice RA-2015-0101',
    section: 'Line 2',
    quote: 'Repayment of £500.00 overclaimed',
    printed: '£500.00',
  };

  it('a repayment stores and returns its provenance; a bad one is a 400 naming source.quote', async () => {
    const actual = await t.request('PUT', `${P}/projects/MEAFORD/spend/actual`, {
      sourceKind: 'LGF',
      quarter: '2015-16 Q1',
      actual: '1000.00',
    });
    expect(actual.status).toBe(200);
    const bad = await t.request('POST', `${P}/projects/MEAFORD/spend/repayments`, {
      sourceKind: 'LGF',
      amount: '500.00',
      reference: 'RA-2015-0101',
      reason: 'Overclaim repaid',
      source: { document: 'Remittance advice' },
    });
    expect([bad.status, bad.body.message]).toEqual([400, expect.stringContaining('source.quote')]);
    const repay = await t.request('POST', `${P}/projects/MEAFORD/spend/repayments`, {
      sourceKind: 'LGF',
      amount: '500.00',
      reference: 'RA-2015-0101',
      reason: 'Overclaim repaid',
      source,
    });
    expect([repay.status, repay.body.message]).toEqual([201, undefined]);
    expect(repay.body).toMatchObject({
      kind: 'repayment',
      amount: '-500.00',
      source: { ...source, illustrative: false },
    });
    const spend = (await t.request('GET', `${P}/projects/MEAFORD/spend`)).body;
    expect(spend.adjustments.map((a: { amount: string; source: unknown }) => [a.amount, a.source])).toEqual([
      ['-500.00', { ...source, illustrative: false }],
    ]);
  });

  it('a reduction keeps its provenance in the approved decision; a bad one is refused naming payload.source.quote', async () => {
    const finance = await t.as('finance');
    const approver = await t.as('approver');
    const [lichfield] = (await t.request('GET', `${P}/allocations?project=LICHFIELD&sourceKind=LGF`)).body.items;
    const payload = {
      allocationId: lichfield.id,
      amount: '1000.00',
      mode: 'release',
      reason: 'Scheme came in under budget',
      reference: 'Board minute 2015/44',
    };
    const bad = await finance('POST', `${P}/change-requests`, {
      kind: 'reduce_allocation',
      title: 'Reduce Lichfield',
      reason: 'under budget',
      payload: { ...payload, source: { document: 'Board minute 2015/44' } },
    });
    expect(bad.status).toBeGreaterThanOrEqual(400);
    expect(bad.status).toBeLessThan(500);
    expect(bad.body.message).toContain('payload.source.quote');
    const boardSource = { document: 'Board minute 2015/44', quote: 'reduce the Lichfield award by £1,000' };
    const d = await finance('POST', `${P}/change-requests`, {
      kind: 'reduce_allocation',
      title: 'Reduce Lichfield',
      reason: 'under budget',
      payload: { ...payload, source: boardSource },
    });
    expect([d.status, d.body.message]).toEqual([201, undefined]);
    expect((await finance('POST', `${P}/change-requests/${d.body.number}/submit`, {})).status).toBe(200);
    const a = await approver('POST', `${P}/change-requests/${d.body.number}/approve`, {});
    expect([a.status, a.body.message]).toEqual([200, undefined]);
    expect(a.body.after.reduction).toEqual({
      mode: 'release',
      amount: '1000.00',
      reason: 'Scheme came in under budget',
      reference: 'Board minute 2015/44',
      source: { ...boardSource, section: null, printed: null, illustrative: false },
    });
    const shown = await t.request('GET', `${P}/change-requests/${d.body.number}`);
    expect(shown.body.after.reduction.source).toEqual({
      ...boardSource,
      section: null,
      printed: null,
      illustrative: false,
    });
  });

  it('a new milestone (project or programme) stores and returns its provenance; a bad one is a 400 naming source.quote', async () => {
    const ms = { document: 'Growth Deal letter, July 2014', quote: 'start on site by summer 2016' };
    const project = await t.request('POST', `${P}/projects/SWAR/milestones`, {
      kind: 'start_on_site',
      title: 'Start on site',
      baselineDate: '2016-06-30',
      source: ms,
    });
    expect([project.status, project.body.message]).toEqual([201, undefined]);
    expect(project.body.source).toEqual({ ...ms, section: null, printed: null, illustrative: false });
    expect((await t.request('GET', `${P}/milestones/${project.body.id}`)).body.source).toEqual(project.body.source);
    const programme = await t.request('POST', `${P}/milestones`, {
      title: 'Evaluation plan produced',
      baselineDate: '2016-03-31',
      source: { ...ms, section: 'Annex B', printed: '2016' },
    });
    expect([programme.status, programme.body.source]).toEqual([
      201,
      { ...ms, section: 'Annex B', printed: '2016', illustrative: false },
    ]);
    for (const url of [`${P}/projects/SWAR/milestones`, `${P}/milestones`]) {
      const bad = await t.request('POST', url, {
        kind: 'start_on_site',
        title: 'Start on site',
        source: { document: 'x', quote: '' },
      });
      expect([url, bad.status, bad.body.message]).toEqual([url, 400, expect.stringContaining('source.quote')]);
    }
  });
});
