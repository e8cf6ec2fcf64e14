import { changeRequestSteps, CODE, P } from './support/change-requests';
import { databaseKinds } from './support/databases';
import { startTestApp, tableCounts, TestApp } from './support/test-app';

/**
 * Issue 14, walked on the 2014 deal (no demo data): a baseline set through the approval path,
 * baselines that follow every approved move of money, withdrawal after spending that keeps the
 * spent money, money drawn from and released to the headroom in any order, and the quarter's
 * return submittable after each step. On today's main each of these fails: there is no
 * set_baseline kind, a reallocation leaves BASELINE_NOT_ALLOCATION, withdrawal releases spent
 * money, a one-line reallocation is refused.
 */
describe.each(databaseKinds())('change control that survives real life on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => t?.close());

  const { draft, approved } = changeRequestSteps(() => t);
  async function allocation(sourceKind: string, project: string) {
    const items = (await t.request('GET', `${P}/allocations?limit=500`)).body.items as {
      id: number;
      sourceKind: string;
      project: string | null;
      amount: string;
      commitmentStatus: string;
    }[];
    return items.filter((a) => a.sourceKind === sourceKind && a.project === project);
  }
  async function line(project: string, sourceKind = 'LGF') {
    const body = (await t.request('GET', `${P}/projects/${project}/spend`)).body;
    const l = body.lines.find((x: { sourceKind: string }) => x.sourceKind === sourceKind);
    const profile = Object.fromEntries(
      body.profile
        .filter((x: { sourceKind: string; baseline: string }) => x.sourceKind === sourceKind && x.baseline !== '0.00')
        .map((x: { quarter: string; baseline: string }) => [x.quarter, x.baseline]),
    );
    return { allocation: l?.allocation, baselineTotal: l?.baselineTotal, spendToDate: l?.spendToDate, profile };
  }
  async function setActual(project: string, quarter: string, actual: string, sourceKind = 'LGF') {
    const body = (await t.request('GET', `${P}/projects/${project}/spend`)).body;
    const existing = body.profile.find(
      (x: { sourceKind: string; quarter: string }) => x.sourceKind === sourceKind && x.quarter === quarter,
    );
    const res = await t.request('PUT', `${P}/projects/${project}/spend/actual`, {
      sourceKind,
      quarter,
      actual,
      ...(existing ? { version: existing.version } : {}),
    });
    expect([res.status, res.body.message]).toEqual([200, undefined]);
  }
  async function checks(quarter: string) {
    const res = await t.request('GET', `${P}/returns/${quarter}`);
    expect(res.status).toBe(200);
    return {
      submittable: res.body.submittable as boolean,
      codes: (res.body.return.checks as { code: string; severity: string }[]).map((c) => `${c.severity}:${c.code}`),
    };
  }
  async function submitReturn(quarter: string) {
    const c = await checks(quarter);
    expect(c.codes.filter((x) => x.startsWith('error:'))).toEqual([]);
    const comments = Object.fromEntries(
      c.codes.filter((x) => x.startsWith('warning:')).map((x) => [x.slice(8), 'explained in the board paper']),
    );
    const res = await t.request('POST', `${P}/returns/${quarter}/submit`, { comments });
    expect([res.status, res.body.message]).toEqual([201, undefined]);
  }
  async function envelope(sourceKind = 'LGF') {
    const res = await t.request('GET', `${P}/envelope`);
    return res.body.items.find((i: { sourceKind: string }) => i.sourceKind === sourceKind);
  }

  it('sets a baseline spend profile through the approval path, refusing a wrong total or a year outside the programme', async () => {
    const before = await tableCounts(t.ds);
    const wrong = await draft('set_baseline', {
      project: 'LICHFIELD',
      sourceKind: 'LGF',
      quarters: [{ quarter: '2015-16 Q1', amount: '100.00' }],
    });
    expect([wrong.status, wrong.body.code]).toEqual([422, 'BASELINE_NOT_ALLOCATION']);
    expect(wrong.body.message).toBe(
      'payload.quarters: the quarters add up to 100.00 but the approved LGF allocation is 4000000.00 (difference -3999900.00): the baseline equals the allocation',
    );
    const early = await draft('set_baseline', {
      project: 'LICHFIELD',
      sourceKind: 'LGF',
      quarters: [
        { quarter: '2014-15 Q4', amount: '1000000.00' },
        { quarter: '2015-16 Q1', amount: '3000000.00' },
      ],
    });
    expect([early.status, early.body.code]).toEqual([422, 'QUARTER_OUTSIDE_PROGRAMME']);
    expect(await tableCounts(t.ds)).toEqual(before);

    const lichfield = await approved('set_baseline', {
      project: 'LICHFIELD',
      sourceKind: 'LGF',
      quarters: [
        { quarter: '2015-16 Q1', amount: '500000.00' },
        { quarter: '2015-16 Q2', amount: '1500000.00' },
        { quarter: '2015-16 Q3', amount: '2000000.00' },
      ],
    });
    expect(lichfield.description).toBe(
      'Set Lichfield Park employment site’s Local Growth Fund award baseline spend profile: £4,000,000.00 over 3 quarters (2015-16 Q1 to 2015-16 Q3).',
    );
    await approved('set_baseline', {
      project: 'MEAFORD',
      sourceKind: 'LGF',
      quarters: [
        { quarter: '2015-16 Q1', amount: '200000.00' },
        { quarter: '2015-16 Q2', amount: '2000000.00' },
        { quarter: '2015-16 Q3', amount: '2000000.00' },
      ],
    });
    expect(await line('LICHFIELD')).toEqual({
      allocation: '4000000.00',
      baselineTotal: '4000000.00',
      spendToDate: '0.00',
      profile: { '2015-16 Q1': '500000.00', '2015-16 Q2': '1500000.00', '2015-16 Q3': '2000000.00' },
    });
    await setActual('LICHFIELD', '2015-16 Q1', '500000.00');
    await setActual('MEAFORD', '2015-16 Q1', '200000.00');
    expect((await checks('2015-16-Q1')).codes).not.toContain('error:BASELINE_NOT_ALLOCATION');
    await submitReturn('2015-16-Q1');
  });

  it('a reallocation carries the baseline with it, so the next return has no BASELINE_NOT_ALLOCATION', async () => {
    const [lich] = await allocation('LGF', 'LICHFIELD');
    const [meaf] = await allocation('LGF', 'MEAFORD');
    const res = await approved('reallocation', {
      lines: [
        { allocationId: lich.id, delta: '-1000000.00' },
        { allocationId: meaf.id, delta: '1000000.00' },
      ],
    });
    expect(res.after.baselineFollowed).toEqual([
      {
        project: 'LICHFIELD',
        sourceKind: 'LGF',
        quarter: '2015-16 Q3',
        baselineBefore: '2000000.00',
        baselineAfter: '1000000.00',
      },
      {
        project: 'MEAFORD',
        sourceKind: 'LGF',
        quarter: '2015-16 Q3',
        baselineBefore: '2000000.00',
        baselineAfter: '3000000.00',
      },
    ]);
    expect((await line('LICHFIELD')).profile).toEqual({
      '2015-16 Q1': '500000.00',
      '2015-16 Q2': '1500000.00',
      '2015-16 Q3': '1000000.00',
    });
    expect(await line('MEAFORD')).toMatchObject({ allocation: '5200000.00', baselineTotal: '5200000.00' });
    expect((await checks('2015-16-Q2')).codes.filter((c) => c.startsWith('error:'))).toEqual(['error:MISSING_ACTUAL']);
  });

  it('withdrawal after spending keeps the spent money allocated and releases only the rest', async () => {
    await setActual('LICHFIELD', '2015-16 Q2', '1200000.00');
    const lgfBefore = await envelope();
    const res = await approved('withdraw_project', { project: 'LICHFIELD' });
    expect(res.after.spent).toEqual([
      { sourceKind: 'LGF', allocated: '3000000.00', spent: '1700000.00', released: '1300000.00' },
    ]);
    expect((await allocation('LGF', 'LICHFIELD')).map((a) => [a.amount, a.commitmentStatus])).toEqual([
      ['1700000.00', 'confirmed'],
    ]);
    // Spent money stays counted and shown as spent; its baseline is what it spent.
    expect(await line('LICHFIELD')).toEqual({
      allocation: '1700000.00',
      baselineTotal: '1700000.00',
      spendToDate: '1700000.00',
      profile: { '2015-16 Q1': '500000.00', '2015-16 Q2': '1200000.00' },
    });
    const lgf = await envelope();
    expect([lgf.envelope, lgf.approved, lgf.headroom]).toEqual([lgfBefore.envelope, '33300000.00', '1300000.00']);
    // A withdrawn project gets no money back without being reinstated, and keeps what it spent.
    const [lich] = await allocation('LGF', 'LICHFIELD');
    const into = await draft('reallocation', { lines: [{ allocationId: lich.id, delta: '100.00' }] });
    expect([into.status, into.body.code]).toEqual([422, 'PROJECT_WITHDRAWN']);
    expect(into.body.message).toContain('reinstate_project first');
    const below = await draft('reallocation', { lines: [{ allocationId: lich.id, delta: '-100.00' }] });
    expect([below.status, below.body.code]).toEqual([422, 'BELOW_SPEND']);
    expect(below.body.message).toBe(
      "payload.lines[0].delta: would take LICHFIELD's LGF allocation to 1699900.00, below the 1700000.00 it has spent: spent money stays allocated (a repayment, recorded as a negative spend line, returns it)",
    );
  });

  it('reallocates the released money to an existing and to a new project, and releases one line to headroom', async () => {
    const [meaf] = await allocation('LGF', 'MEAFORD');
    const drawn = await approved('reallocation', { lines: [{ allocationId: meaf.id, delta: '300000.00' }] });
    expect(drawn.description).toBe(
      'Moved £300,000.00 of Local Growth Fund award from the envelope’s headroom to Meaford employment site.',
    );
    expect(await line('MEAFORD')).toMatchObject({ allocation: '5500000.00', baselineTotal: '5500000.00' });
    const added = await approved('reallocation', {
      lines: [
        {
          new: {
            sourceKind: 'LGF',
            project: 'ETRURIA',
            period: '2016-17',
            commitmentStatus: 'confirmed',
            baseline: [
              { quarter: '2016-17 Q1', amount: '400000.00' },
              { quarter: '2016-17 Q2', amount: '600000.00' },
            ],
          },
          amount: '1000000.00',
        },
        { headroom: 'LGF', delta: '-1000000.00' },
      ],
    });
    expect(added.after.headroom).toEqual([{ sourceKind: 'LGF', delta: '-1000000.00' }]);
    expect(await envelope()).toMatchObject({ headroom: '0.00' });
    const released = await approved('reallocation', { lines: [{ allocationId: meaf.id, delta: '-250000.00' }] });
    expect(released.description).toBe(
      'Moved £250,000.00 of Local Growth Fund award from Meaford employment site to the envelope’s headroom.',
    );
    expect(await envelope()).toMatchObject({ headroom: '250000.00' });
    expect(await line('MEAFORD')).toMatchObject({ allocation: '5250000.00', baselineTotal: '5250000.00' });
    const hub = await approved('add_project', {
      code: 'HUB2',
      name: 'Second skills hub',
      theme: 'SKILLS',
      allocations: [
        {
          sourceKind: 'LGF',
          period: '2016-17',
          amount: '250000.00',
          commitmentStatus: 'confirmed',
          baseline: [{ quarter: '2016-17 Q3', amount: '250000.00' }],
        },
      ],
    });
    expect(hub.after.baseline).toEqual([{ sourceKind: 'LGF', quarter: '2016-17 Q3', baseline: '250000.00' }]);
    expect(await line('HUB2')).toMatchObject({ allocation: '250000.00', baselineTotal: '250000.00' });
    await setActual('MEAFORD', '2015-16 Q2', '2000000.00');
    const c = await checks('2015-16-Q2');
    expect(c.codes.filter((x) => x.startsWith('error:'))).toEqual([]);
    expect(c.submittable).toBe(true);
    await submitReturn('2015-16-Q2');
  });

  it('changes a status only through change requests: PATCH with a status is refused for every role', async () => {
    const current = (await t.request('GET', `${P}/projects/ETRURIA`)).body;
    const finance = await t.as('finance');
    const pm = await t.as('programme_manager', { projects: ['ETRURIA'] });
    // Finance may not edit projects at all; those who may edit one are refused its status.
    const asFinance = await finance('PATCH', `${P}/projects/ETRURIA`, {
      version: current.version,
      status: 'withdrawn',
    });
    expect([asFinance.status, asFinance.body.code]).toEqual([403, 'ROLE_NOT_ALLOWED']);
    for (const who of [t.request, pm]) {
      const res = await who('PATCH', `${P}/projects/ETRURIA`, { version: current.version, status: 'withdrawn' });
      expect([res.status, res.body.code]).toEqual([422, 'STATUS_BY_CHANGE_REQUEST']);
      expect(res.body.message).toBe(
        "status: a project's status changes only through an approved change request: raise withdraw_project, hold_project, reinstate_project or complete_project for ETRURIA (it is approved)",
      );
    }
    const renamed = await pm('PATCH', `${P}/projects/ETRURIA`, {
      version: current.version,
      location: 'Etruria Valley',
    });
    expect(renamed.status).toBe(200);
    expect((await t.request('GET', `${P}/projects/ETRURIA`)).body.status).toBe(current.status);
    await approved('hold_project', { project: 'ETRURIA' });
    expect((await t.request('GET', `${P}/projects/ETRURIA`)).body.status).toBe('on_hold');
    const again = await draft('hold_project', { project: 'ETRURIA' });
    expect([again.status, again.body.code]).toEqual([422, 'PROJECT_STATUS']);
    await approved('reinstate_project', { project: 'ETRURIA' });
    expect((await t.request('GET', `${P}/projects/ETRURIA`)).body.status).toBe('in_delivery');
  });

  it('money goes down: a repayment is a negative spend line; a reduction releases to headroom or reduces the envelope', async () => {
    // Now in 2015-16 Q3. MEAFORD has spent 200,000 + 2,000,000.
    const repay = await t.request('POST', `${P}/projects/MEAFORD/spend/repayments`, {
      sourceKind: 'LGF',
      amount: '50000.00',
      reference: 'RA-2015-0101',
      reason: 'Overclaim on the junction works repaid',
    });
    expect(repay.status).toBe(201);
    expect(repay.body).toMatchObject({
      kind: 'repayment',
      recordedInQuarter: '2015-16 Q3',
      correctsQuarter: '2015-16 Q3',
      amount: '-50000.00',
      reference: 'RA-2015-0101',
    });
    const tooMuch = await t.request('POST', `${P}/projects/MEAFORD/spend/repayments`, {
      sourceKind: 'LGF',
      amount: '9000000.00',
      reference: 'x',
      reason: 'more than was spent',
    });
    expect([tooMuch.status, tooMuch.body.code]).toEqual([422, 'REPAYMENT_ABOVE_SPEND']);
    const meaford = (await t.request('GET', `${P}/projects/MEAFORD/spend`)).body;
    // Past actuals are never rewritten; spend to date counts the repayment.
    expect(
      meaford.profile
        .filter((x: { actual: string | null }) => x.actual !== null)
        .map((x: { quarter: string; actual: string }) => [x.quarter, x.actual]),
    ).toEqual([
      ['2015-16 Q1', '200000.00'],
      ['2015-16 Q2', '2000000.00'],
    ]);
    expect((await line('MEAFORD')).spendToDate).toBe('2150000.00');

    const [meaf] = await allocation('LGF', 'MEAFORD');
    const below = await draft('reduce_allocation', {
      allocationId: meaf.id,
      amount: '5000000.00',
      mode: 'release',
      reason: 'scheme scaled back',
      reference: 'Board minute 2015/44',
    });
    expect([below.status, below.body.code]).toEqual([422, 'BELOW_SPEND']);
    expect(below.body.message).toContain('reduce by at most 3100000.00');
    const released = await approved('reduce_allocation', {
      allocationId: meaf.id,
      amount: '100000.00',
      mode: 'release',
      reason: 'Junction works came in under budget',
      reference: 'Board minute 2015/44',
    });
    expect(released.description).toBe(
      'Reduced Meaford employment site’s Local Growth Fund award by £100,000.00: the money returned to the envelope’s headroom for other projects. Reason: Junction works came in under budget (ref. Board minute 2015/44).',
    );
    expect(await line('MEAFORD')).toMatchObject({ allocation: '5150000.00', baselineTotal: '5150000.00' });
    expect(await envelope()).toMatchObject({ envelope: '34600000.00', approved: '34500000.00', headroom: '100000.00' });

    const [amsh] = await allocation('LGF', 'AMSH');
    const recovered = await approved('reduce_allocation', {
      allocationId: amsh.id,
      amount: '900000.00',
      mode: 'reduce_envelope',
      reason: 'Government recovers the unspent award',
      reference: 'DCLG letter 12 Nov 2015',
    });
    expect(recovered.after.reduction).toEqual({
      mode: 'reduce_envelope',
      amount: '900000.00',
      reason: 'Government recovers the unspent award',
      reference: 'DCLG letter 12 Nov 2015',
    });
    expect(await envelope()).toMatchObject({ envelope: '33700000.00', approved: '33600000.00', headroom: '100000.00' });

    // The return shows the change against the last return (2015-16 Q2, at 34,600,000.00).
    const doc = (await t.request('GET', `${P}/returns/2015-16-Q3`)).body.return;
    const lgf = doc.sections
      .find((x: { key: string }) => x.key === 'summary')
      .rows.find((r: { sourceKind: string }) => r.sourceKind === 'LGF');
    expect([lgf.allocation, lgf.allocationLastReturn, lgf.allocationVariance]).toEqual([
      '33600000.00',
      '34600000.00',
      '-1000000.00',
    ]);
    const finance = doc.sections.find((x: { key: string }) => x.key === 'finance');
    expect(
      finance.rows
        .filter((r: { line: string }) => r.line === 'repayment')
        .map((r: { project: string; adjustment: string; note: string }) => [r.project, r.adjustment, r.note]),
    ).toEqual([['MEAFORD', '-50000.00', 'Overclaim on the junction works repaid (ref. RA-2015-0101)']]);
  });

  it('one door per invariant: RAG thresholds refused through PATCH of the programme as through their own route', async () => {
    const before = (await t.request('GET', `${P}/rag/thresholds`)).body;
    const prog = (await t.request('GET', P)).body;
    const bad = { financeAmber: 99, financeGreen: 95 };
    const viaRag = await t.request('PUT', `${P}/rag/thresholds`, { ...bad, version: before.version });
    expect(viaRag.status).toBeGreaterThanOrEqual(400);
    expect(viaRag.status).toBeLessThan(500);
    const viaPatch = await t.request('PATCH', P, { ragThresholds: bad, version: prog.version });
    expect([viaPatch.status, viaPatch.body.code]).toEqual([422, 'ONE_DOOR']);
    expect(viaPatch.body.message).toBe(
      `ragThresholds: RAG thresholds are set only through PUT /api/programmes/${CODE}/rag/thresholds, which checks them`,
    );
    expect((await t.request('GET', `${P}/rag/thresholds`)).body).toEqual(before);
  });
});
