import { changeRequestSteps, P } from './support/change-requests';
import { databaseKinds } from './support/databases';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Issue 14, "Order should not matter where the result is the same", on the 2014 deal (no demo).
 * Two projects that spent in 2015-16 Q1 each lose their unspent money to another project: one
 * by reallocating first and withdrawing after, the other by withdrawing first and reallocating
 * after with the same lines. Both orders are accepted and end in the same figures; a one-line
 * reallocation to the headroom is accepted; refusals name the way forward.
 */
describe.each(databaseKinds())('order of approved changes on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => t?.close());

  const { draft, approved } = changeRequestSteps(() => t, { title: (kind) => kind, reason: 'order' });
  async function lgf(project: string) {
    const items = (await t.request('GET', `${P}/allocations?project=${project}&sourceKind=LGF`)).body.items as {
      id: number;
      commitmentStatus: string;
    }[];
    return items.filter((a) => a.commitmentStatus !== 'withdrawn')[0].id;
  }
  async function figures(project: string) {
    const s = (await t.request('GET', `${P}/projects/${project}/spend`)).body;
    const l = s.lines.find((x: { sourceKind: string }) => x.sourceKind === 'LGF');
    const status = (await t.request('GET', `${P}/projects/${project}`)).body.status;
    return [status, l.allocation, l.baselineTotal, l.spendToDate];
  }
  const headroom = async () =>
    (await t.request('GET', `${P}/envelope`)).body.items.find((i: { sourceKind: string }) => i.sourceKind === 'LGF')
      .headroom;
  async function actual(project: string, quarter: string, amount: string) {
    const row = (await t.request('GET', `${P}/projects/${project}/spend`)).body.profile.find(
      (x: { sourceKind: string; quarter: string }) => x.sourceKind === 'LGF' && x.quarter === quarter,
    );
    const res = await t.request('PUT', `${P}/projects/${project}/spend/actual`, {
      sourceKind: 'LGF',
      quarter,
      actual: amount,
      version: row.version,
    });
    expect([res.status, res.body.message]).toEqual([200, undefined]);
  }

  it('reallocate-then-withdraw and withdraw-then-reallocate end in the same figures', async () => {
    const q = (quarter: string, amount: string) => ({ quarter, amount });
    const baselines: [string, { quarter: string; amount: string }[]][] = [
      ['LICHFIELD', [q('2015-16 Q1', '1000000.00'), q('2015-16 Q2', '3000000.00')]],
      ['MEAFORD', [q('2015-16 Q1', '1000000.00'), q('2015-16 Q2', '3200000.00')]],
      ['AMSH', [q('2015-16 Q3', '6900000.00')]],
      ['BERICOTE', [q('2015-16 Q3', '1000000.00')]],
    ];
    for (const [project, quarters] of baselines)
      await approved('set_baseline', { project, sourceKind: 'LGF', quarters });
    await actual('LICHFIELD', '2015-16 Q1', '1000000.00');
    await actual('MEAFORD', '2015-16 Q1', '1000000.00');
    expect(await headroom()).toBe('0.00');

    // Reallocate first, then withdraw: LICHFIELD's unspent 3,000,000 goes to AMSH.
    await approved('reallocation', {
      lines: [
        { allocationId: await lgf('LICHFIELD'), delta: '-3000000.00' },
        { allocationId: await lgf('AMSH'), delta: '3000000.00' },
      ],
    });
    const w1 = await approved('withdraw_project', { project: 'LICHFIELD' });
    expect(w1.after.spent).toEqual([
      { sourceKind: 'LGF', allocated: '1000000.00', spent: '1000000.00', released: '0.00' },
    ]);

    // Withdraw first, then the same lines: MEAFORD's unspent 3,200,000 goes to BERICOTE.
    const w2 = await approved('withdraw_project', { project: 'MEAFORD' });
    expect(w2.after.spent).toEqual([
      { sourceKind: 'LGF', allocated: '4200000.00', spent: '1000000.00', released: '3200000.00' },
      { sourceKind: 'LOCAL_MATCH', allocated: '100000.00', spent: '0.00', released: '100000.00' },
    ]);
    expect(await headroom()).toBe('3200000.00');
    // Taking more than the withdrawal released is refused, saying how much may be taken.
    const tooMuch = await draft('reallocation', {
      lines: [
        { allocationId: await lgf('MEAFORD'), delta: '-3200000.01' },
        { allocationId: await lgf('BERICOTE'), delta: '3200000.01' },
      ],
    });
    expect([tooMuch.status, tooMuch.body.code, tooMuch.body.message]).toEqual([
      422,
      'BELOW_SPEND',
      `payload.lines[0].delta: project "MEAFORD" is withdrawn: its withdrawal (change request ${w2.number}) released 3200000.00 of LGF to the envelope's headroom, and what it spent stays allocated to it; take at most 3200000.00 (lines naming its allocations draw on that headroom), or record the promoter's repayment first`,
    ]);
    const after = await approved('reallocation', {
      lines: [
        { allocationId: await lgf('MEAFORD'), delta: '-3200000.00' },
        { allocationId: await lgf('BERICOTE'), delta: '3200000.00' },
      ],
    });
    expect(after.after.headroom).toEqual([
      {
        sourceKind: 'LGF',
        delta: '-3200000.00',
        releasedBy: { withdrawnProject: 'MEAFORD', changeRequest: w2.number },
      },
    ]);
    expect(after.description).toBe(
      'Moved £3,200,000.00 of Local Growth Fund award from Meaford employment site to Bericote Four Ashes employment site.',
    );

    // The same end state either way: the withdrawn project keeps what it spent, the other has the rest.
    expect(await figures('LICHFIELD')).toEqual(['withdrawn', '1000000.00', '1000000.00', '1000000.00']);
    expect(await figures('MEAFORD')).toEqual(['withdrawn', '1000000.00', '1000000.00', '1000000.00']);
    expect(await figures('AMSH')).toEqual(['approved', '9900000.00', '9900000.00', '0.00']);
    expect(await figures('BERICOTE')).toEqual(['approved', '4200000.00', '4200000.00', '0.00']);
    expect(await headroom()).toBe('0.00');
  });

  it('accepts a one-line reallocation to the headroom, refuses one that moves nothing with the way forward, and the return is submittable', async () => {
    const released = await approved('reallocation', {
      lines: [{ allocationId: await lgf('BERICOTE'), delta: '-200000.00' }],
    });
    expect(released.description).toBe(
      'Moved £200,000.00 of Local Growth Fund award from Bericote Four Ashes employment site to the envelope’s headroom.',
    );
    expect(await headroom()).toBe('200000.00');
    const nothing = await draft('reallocation', { lines: [{ headroom: 'LGF', delta: '-200000.00' }] });
    expect([nothing.status, nothing.body.code, nothing.body.message]).toEqual([
      422,
      'NO_CHANGE',
      'payload.lines: moves no approved money: add a line giving it to an allocation ({"allocationId","delta"}) or to a new one ({"new","amount"})',
    ]);
    const drawn = await approved('reallocation', { lines: [{ allocationId: await lgf('AMSH'), delta: '200000.00' }] });
    expect(drawn.description).toBe(
      'Moved £200,000.00 of Local Growth Fund award from the envelope’s headroom to Advanced Manufacturing Skills Hub.',
    );
    expect(await figures('AMSH')).toEqual(['approved', '10100000.00', '10100000.00', '0.00']);
    const doc = (await t.request('GET', `${P}/returns/2015-16-Q1`)).body;
    const checks = doc.return.checks as { code: string; severity: string }[];
    expect(checks.filter((c) => c.severity === 'error')).toEqual([]);
    const comments = Object.fromEntries(
      checks.filter((c) => c.severity === 'warning').map((c) => [c.code, 'explained']),
    );
    const sub = await t.request('POST', `${P}/returns/2015-16-Q1/submit`, { comments });
    expect([sub.status, sub.body.message]).toEqual([201, undefined]);
  });
});
