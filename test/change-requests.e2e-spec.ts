import { AuditEntry } from '../src/audit/audit-entry.entity';
import { ChangeRequestsService } from '../src/changes/change-requests.service';
import { changeRequestSteps, CODE, CR, P } from './support/change-requests';
import { databaseKinds } from './support/databases';
import { startTestApp, tableCounts, TestApp } from './support/test-app';
import { APPROVED_BY_SOURCE_2014 } from './support/deal-2014';

// HTTP calls act as the test admin (startTestApp's token); other people act through the service.

describe.each(databaseKinds())('change requests on %s', (kind) => {
  let t: TestApp;
  let svc: ChangeRequestsService;
  beforeAll(async () => {
    t = await startTestApp(kind);
    svc = t.app.get(ChangeRequestsService);
  });
  afterAll(async () => t?.close());

  async function allocations(): Promise<
    {
      id: number;
      sourceKind: string;
      project: string | null;
      pool: string | null;
      period: string;
      amount: string;
      commitmentStatus: string;
    }[]
  > {
    return (await t.request('GET', `${P}/allocations?limit=500`)).body.items;
  }
  async function allocationId(sourceKind: string, project: string): Promise<number> {
    const a = (await allocations()).filter(
      (x) => x.sourceKind === sourceKind && x.project === project && x.commitmentStatus !== 'withdrawn',
    );
    expect(a).toHaveLength(1);
    return a[0].id;
  }
  async function envelope(): Promise<
    Record<string, { envelope: string; approved: string; headroom: string; withdrawn: string }>
  > {
    const res = await t.request('GET', `${P}/envelope`);
    expect(res.status).toBe(200);
    return Object.fromEntries(res.body.items.map((i: { sourceKind: string }) => [i.sourceKind, i]));
  }
  const { draft, submit } = changeRequestSteps(() => t);
  /** Drafted over HTTP, submitted by the programme manager; approvals then come over HTTP from someone else. */
  async function draftAndSubmit(kind: string, payload: unknown, title = `a ${kind}`): Promise<number> {
    const res = await draft(kind, payload, title);
    expect(res.status).toBe(201);
    await submit(res.body.number);
    return res.body.number;
  }

  it('initialises the envelope from the seeded approved allocations', async () => {
    const e = await envelope();
    expect(Object.fromEntries(Object.entries(e).map(([k, v]) => [k, v.envelope]))).toEqual(APPROVED_BY_SOURCE_2014);
    for (const v of Object.values(e)) {
      expect(v.headroom).toBe('0.00');
      expect(v.approved).toBe(v.envelope);
    }
  });

  it('applies an approved virement of £1,000,000.00 from Meaford LGF to Lichfield LGF, with before/after and audit', async () => {
    const meaford = await allocationId('LGF', 'MEAFORD');
    const lichfield = await allocationId('LGF', 'LICHFIELD');
    const created = await t.request('POST', CR, {
      kind: 'reallocation',
      title: 'Move £1m LGF from Meaford to Lichfield',
      reason: 'Meaford’s land costs came in under budget',
      evidence: 'Tender report 14',
      payload: {
        lines: [
          { allocationId: meaford, delta: '-1000000.00' },
          { allocationId: lichfield, delta: '1000000.00' },
        ],
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ state: 'draft', version: 1, projects: ['LICHFIELD', 'MEAFORD'] });
    expect(created.body.description).toBe(
      'Move £1,000,000.00 of Local Growth Fund award from Meaford employment site to Lichfield Park employment site.',
    );
    const n = created.body.number;
    await submit(n);
    // Nothing moves before approval.
    expect((await allocations()).find((a) => a.id === meaford)!.amount).toBe('4200000.00');
    const approved = await t.request('POST', `${CR}/${n}/approve`, { reason: 'Board, 14 March 2016' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      state: 'approved',
      submittedBy: 'fran.finance',
      decidedBy: t.adminActor,
      decisionReason: 'Board, 14 March 2016',
    });
    expect(approved.body.description).toBe(
      'Moved £1,000,000.00 of Local Growth Fund award from Meaford employment site to Lichfield Park employment site.',
    );
    expect(approved.body.before.allocations).toEqual([
      {
        id: meaford,
        sourceKind: 'LGF',
        project: 'MEAFORD',
        pool: null,
        period: 'unprofiled',
        amount: '4200000.00',
        commitmentStatus: 'confirmed',
      },
      {
        id: lichfield,
        sourceKind: 'LGF',
        project: 'LICHFIELD',
        pool: null,
        period: 'unprofiled',
        amount: '4000000.00',
        commitmentStatus: 'confirmed',
      },
    ]);
    expect(approved.body.after.allocations.map((a: { amount: string }) => a.amount)).toEqual([
      '3200000.00',
      '5000000.00',
    ]);
    expect(approved.body.after.envelope).toEqual([
      {
        sourceKind: 'LGF',
        envelopeBefore: '34600000.00',
        envelopeAfter: '34600000.00',
        approvedBefore: '34600000.00',
        approvedAfter: '34600000.00',
      },
    ]);
    const all = await allocations();
    expect(all.find((a) => a.id === meaford)!.amount).toBe('3200000.00');
    expect(all.find((a) => a.id === lichfield)!.amount).toBe('5000000.00');
    expect((await envelope()).LGF).toMatchObject({
      envelope: '34600000.00',
      approved: '34600000.00',
      headroom: '0.00',
    });
    const audit = await t.ds
      .getRepository(AuditEntry)
      .find({ where: { entity: 'allocation', action: 'update' }, order: { id: 'ASC' } });
    const mine = audit.filter((a) => a.meta?.changeRequest === n);
    expect(
      mine.map((a) => [
        Number(a.entityId),
        (a.before as { amountPence: number }).amountPence,
        (a.after as { amountPence: number }).amountPence,
        a.actor,
      ]),
    ).toEqual([
      [meaford, 420000000, 320000000, t.adminActor],
      [lichfield, 400000000, 500000000, t.adminActor],
    ]);
    const decision = await t.ds
      .getRepository(AuditEntry)
      .findOneOrFail({ where: { entity: 'change_request', action: 'approve', entityId: String(n) } });
    expect(decision.meta).toMatchObject({
      number: n,
      kind: 'reallocation',
      reason: 'Board, 14 March 2016',
      submittedBy: 'fran.finance',
    });
    expect((decision.after as { allocations: unknown[] }).allocations).toHaveLength(2);
  });

  it('refuses a move into LGF_PROVISIONAL over its envelope, with the numbers, then allows it after an envelope change', async () => {
    const etruria = await allocationId('LGF', 'ETRURIA');
    const n = await draftAndSubmit('reallocation', {
      lines: [
        { allocationId: etruria, delta: '-1000000.00' },
        {
          new: {
            sourceKind: 'LGF_PROVISIONAL',
            project: 'ETRURIA',
            period: '2016-17',
            commitmentStatus: 'provisional',
          },
          amount: '1000000.00',
        },
      ],
    });
    const before = await tableCounts(t.ds);
    const refused = await t.request('POST', `${CR}/${n}/approve`, {});
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('ENVELOPE_EXCEEDED');
    expect(refused.body.message).toContain(
      "LGF_PROVISIONAL: approving this change would take approved LGF_PROVISIONAL allocations to 28100000.00, above the programme's LGF_PROVISIONAL envelope of 27100000.00 by 1000000.00",
    );
    expect(refused.body.details.breaches).toEqual([
      { sourceKind: 'LGF_PROVISIONAL', envelope: '27100000.00', total: '28100000.00', excess: '1000000.00' },
    ]);
    expect(await tableCounts(t.ds)).toEqual(before);
    expect((await t.request('GET', `${CR}/${n}`)).body.state).toBe('submitted');

    const raise = await draftAndSubmit('envelope_change', { sourceKind: 'LGF_PROVISIONAL', delta: '1000000.00' });
    const raised = await t.request('POST', `${CR}/${raise}/approve`, {});
    expect(raised.status).toBe(200);
    expect(raised.body.description).toBe(
      'Raised the programme’s approved envelope of Provisional Local Growth Fund allocation by £1,000,000.00.',
    );
    expect(raised.body.after.envelope).toEqual([
      {
        sourceKind: 'LGF_PROVISIONAL',
        envelopeBefore: '27100000.00',
        envelopeAfter: '28100000.00',
        approvedBefore: '27100000.00',
        approvedAfter: '27100000.00',
      },
    ]);
    expect((await envelope()).LGF_PROVISIONAL).toMatchObject({
      envelope: '28100000.00',
      approved: '27100000.00',
      headroom: '1000000.00',
    });

    const ok = await t.request('POST', `${CR}/${n}/approve`, {});
    expect(ok.status).toBe(200);
    const e = await envelope();
    expect(e.LGF_PROVISIONAL).toMatchObject({ envelope: '28100000.00', approved: '28100000.00', headroom: '0.00' });
    expect(e.LGF).toMatchObject({ envelope: '34600000.00', approved: '33600000.00', headroom: '1000000.00' });
    const newOne = (await allocations()).filter(
      (a) => a.sourceKind === 'LGF_PROVISIONAL' && a.project === 'ETRURIA' && a.period === '2016-17',
    );
    expect(newOne.map((a) => a.amount)).toEqual(['1000000.00']);
  });

  it('a rejected change moves nothing and needs a reason', async () => {
    const lichfield = await allocationId('LGF', 'LICHFIELD');
    const amst = await allocationId('LGF', 'AMSH');
    const n = await draftAndSubmit('reallocation', {
      lines: [
        { allocationId: lichfield, delta: '-500000.00' },
        { allocationId: amst, delta: '500000.00' },
      ],
    });
    const before = await allocations();
    const noReason = await t.request('POST', `${CR}/${n}/reject`, {});
    expect(noReason.status).toBe(400);
    expect(noReason.body.details.problems.map((p: { field: string }) => p.field)).toContain('reason');
    const res = await t.request('POST', `${CR}/${n}/reject`, { reason: 'Not supported by the evidence' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      state: 'rejected',
      decisionReason: 'Not supported by the evidence',
      before: null,
      after: null,
    });
    expect(await allocations()).toEqual(before);
    const again = await t.request('POST', `${CR}/${n}/approve`, {});
    expect(again.status).toBe(409);
    expect(again.body.details.state).toBe('rejected');
  });

  // Issue 14: withdrawal keeps what was spent (BERICOTE spent nothing, so all of it is released).
  it('withdraw_project frees its unspent money', async () => {
    const n = await draftAndSubmit('withdraw_project', { project: 'BERICOTE' });
    const res = await t.request('POST', `${CR}/${n}/approve`, {});
    expect(res.status).toBe(200);
    expect(res.body.description).toBe(
      'Withdrew Bericote Four Ashes employment site from the programme: what it spent stayed allocated to it and its unspent money was released for other projects.',
    );
    expect(res.body.after.project).toEqual({ code: 'BERICOTE', status: 'withdrawn' });
    expect((await t.request('GET', `${P}/projects/BERICOTE`)).body.status).toBe('withdrawn');
    const berico = (await allocations()).filter((a) => a.project === 'BERICOTE');
    expect(berico.map((a) => [a.sourceKind, a.amount, a.commitmentStatus])).toEqual([
      ['LGF', '1000000.00', 'withdrawn'],
    ]);
    expect((await envelope()).LGF).toMatchObject({
      envelope: '34600000.00',
      approved: '32600000.00',
      headroom: '2000000.00',
      withdrawn: '1000000.00',
    });
    // The freed money can fund a new project.
    const add = await draftAndSubmit('add_project', {
      code: 'HUB2',
      name: 'Second skills hub',
      theme: 'SKILLS',
      allocations: [{ sourceKind: 'LGF', period: '2017-18', amount: '2000000.00', commitmentStatus: 'confirmed' }],
    });
    const added = await t.request('POST', `${CR}/${add}/approve`, {});
    expect(added.status).toBe(200);
    expect(added.body.projects).toEqual(['HUB2']);
    expect((await envelope()).LGF).toMatchObject({ approved: '34600000.00', headroom: '0.00' });
  });

  it('re-profiles an allocation across years with the same total, and puts a project on hold', async () => {
    const meaford = await allocationId('LGF', 'MEAFORD');
    const n = await draftAndSubmit('reprofile_years', {
      allocationId: meaford,
      periods: [
        { period: '2016-17', amount: '1200000.00' },
        { period: '2017-18', amount: '2000000.00' },
      ],
    });
    expect((await t.request('POST', `${CR}/${n}/approve`, {})).status).toBe(200);
    const rows = (await allocations()).filter((a) => a.project === 'MEAFORD' && a.sourceKind === 'LGF');
    expect(rows.map((a) => [a.period, a.amount])).toEqual([
      ['2016-17', '1200000.00'],
      ['2017-18', '2000000.00'],
    ]);
    expect((await envelope()).LGF.approved).toBe('34600000.00');
    const hold = await draftAndSubmit('put_on_hold', { project: 'LSTP' });
    expect((await t.request('POST', `${CR}/${hold}/approve`, {})).status).toBe(200);
    expect((await t.request('GET', `${P}/projects/LSTP`)).body.status).toBe('on_hold');
  });

  it('separation of duties: whoever submitted may not approve', async () => {
    const lichfield = await allocationId('LGF', 'LICHFIELD');
    const amsh = await allocationId('LGF', 'AMSH');
    const created = await t.request('POST', CR, {
      kind: 'reallocation',
      title: 'self-approval',
      reason: 'x',
      payload: {
        lines: [
          { allocationId: lichfield, delta: '-1.00' },
          { allocationId: amsh, delta: '1.00' },
        ],
      },
    });
    const n = created.body.number;
    expect((await t.request('POST', `${CR}/${n}/submit`, {})).status).toBe(200);
    const before = await tableCounts(t.ds);
    const res = await t.request('POST', `${CR}/${n}/approve`, {});
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('SEPARATION_OF_DUTIES');
    expect(res.body.message).toContain(`submitted by ${t.adminActor}`);
    expect(await tableCounts(t.ds)).toEqual(before);
    await expect(
      svc.approve(CODE, n, {}, { userId: null, name: t.adminActor, role: 'approver' }),
    ).rejects.toMatchObject({ code: 'SEPARATION_OF_DUTIES' });
    const other = await svc.approve(CODE, n, {}, { userId: null, name: 'alex.approver', role: 'approver' });
    expect(other.state).toBe('approved');
  });

  it('edits a draft with its version; a stale version is 409 with the current one', async () => {
    const created = await t.request('POST', CR, {
      kind: 'put_on_hold',
      title: 'Hold Branston',
      reason: 'planning delay',
      payload: { project: 'BRANSTON' },
    });
    const n = created.body.number;
    const edited = await t.request('PATCH', `${CR}/${n}`, { version: 1, title: 'Hold Branston Locks' });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ title: 'Hold Branston Locks', version: 2 });
    const before = await tableCounts(t.ds);
    const stale = await t.request('PATCH', `${CR}/${n}`, { version: 1, title: 'lost edit' });
    expect(stale.status).toBe(409);
    expect(stale.body.details.currentVersion).toBe(2);
    const staleSubmit = await t.request('POST', `${CR}/${n}/submit`, { version: 1 });
    expect(staleSubmit.status).toBe(409);
    expect(await tableCounts(t.ds)).toEqual(before);
    const withdrawn = await t.request('POST', `${CR}/${n}/withdraw`, { version: 2, reason: 'resolved' });
    expect(withdrawn.body.state).toBe('withdrawn');
    expect((await t.request('PATCH', `${CR}/${n}`, { version: 3, title: 'again' })).status).toBe(409);
  });

  it('lists with filters', async () => {
    const all = await t.request('GET', `${CR}?limit=500`);
    expect(all.status).toBe(200);
    const approved = await t.request('GET', `${CR}?state=approved`);
    expect(approved.body.items.every((c: { state: string }) => c.state === 'approved')).toBe(true);
    expect(approved.body.total).toBe(all.body.items.filter((c: { state: string }) => c.state === 'approved').length);
    const meaford = await t.request('GET', `${CR}?project=MEAFORD`);
    expect(meaford.body.items.map((c: { kind: string }) => c.kind).sort()).toEqual(['reallocation', 'reprofile_years']);
    const env = await t.request('GET', `${CR}?kind=envelope_change`);
    expect(env.body.total).toBe(1);
    expect((await t.request('GET', `${CR}?project=NOPE`)).body.total).toBe(0);
  });

  describe('bad input is refused and writes nothing', () => {
    let before: Record<string, number>;
    let lichfield: number;
    let amsh: number;
    beforeEach(async () => {
      lichfield = await allocationId('LGF', 'LICHFIELD');
      amsh = await allocationId('LGF', 'AMSH');
      before = await tableCounts(t.ds);
    });
    afterEach(async () => {
      expect(await tableCounts(t.ds)).toEqual(before);
    });
    const post = (kind: string, payload: unknown) =>
      t.request('POST', CR, { kind, title: 'bad', reason: 'bad', payload });

    it('lines that do not balance → 422 naming the lines and the net', async () => {
      const res = await post('reallocation', {
        lines: [
          { allocationId: lichfield, delta: '-1000000.00' },
          { allocationId: amsh, delta: '900000.00' },
        ],
      });
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('UNBALANCED');
      expect(res.body.details.field).toBe('payload.lines');
      expect(res.body.message).toBe(
        'payload.lines: the lines do not balance: lines[0] -1000000.00, lines[1] +900000.00; net -100000.00 (a reallocation must net to 0.00; to release the difference to the envelope\'s headroom, add the line {"headroom":"LGF","delta":"+100000.00"})',
      );
    });

    it('unknown allocation → 422 naming the field', async () => {
      const res = await post('reallocation', {
        lines: [
          { allocationId: 99999, delta: '-1.00' },
          { allocationId: amsh, delta: '1.00' },
        ],
      });
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('UNKNOWN_REFERENCE');
      expect(res.body.details.field).toBe('payload.lines[0].allocationId');
    });

    it('unknown project → 422 naming the field', async () => {
      const res = await post('withdraw_project', { project: 'NOPE' });
      expect(res.status).toBe(422);
      expect(res.body.details.field).toBe('payload.project');
      const alloc = await post('reallocation', {
        lines: [
          { allocationId: amsh, delta: '-1.00' },
          {
            new: { sourceKind: 'LGF', project: 'NOPE', period: '2016-17', commitmentStatus: 'confirmed' },
            amount: '1.00',
          },
        ],
      });
      expect(alloc.status).toBe(422);
      expect(alloc.body.details.field).toBe('payload.lines[1].new.project');
    });

    it('an allocation taken below zero → 422', async () => {
      const res = await post('reallocation', {
        lines: [
          { allocationId: amsh, delta: '-99000000.00' },
          { allocationId: lichfield, delta: '99000000.00' },
        ],
      });
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('NEGATIVE_ALLOCATION');
      expect(res.body.details.field).toBe('payload.lines[0].delta');
    });

    it('malformed payloads → 400 naming the field', async () => {
      const res = await post('reallocation', {
        lines: [{ allocationId: amsh, delta: '1' }, { allocationId: lichfield }],
      });
      expect(res.status).toBe(400);
      expect(res.body.details.problems.map((p: { field: string }) => p.field)).toEqual([
        'payload.lines[0].delta',
        'payload.lines[1].delta',
      ]);
      const kind = await post('teleport', {});
      expect(kind.status).toBe(422);
      expect(kind.body.details.field).toBe('kind');
    });

    it('approving twice or deciding a draft → 409 with the state', async () => {
      const approved = (await t.request('GET', `${CR}?state=approved&limit=1`)).body.items[0].number;
      const twice = await t.request('POST', `${CR}/${approved}/approve`, {});
      expect(twice.status).toBe(409);
      expect(twice.body.details.state).toBe('approved');
      const drafts = (await t.request('GET', `${CR}?state=withdrawn&limit=1`)).body.items[0].number;
      expect((await t.request('POST', `${CR}/${drafts}/reject`, { reason: 'x' })).body.details.state).toBe('withdrawn');
    });

    it('unknown change request → 404', async () => {
      expect((await t.request('GET', `${CR}/9999`)).status).toBe(404);
    });
  });

  it('deciding a draft is 409', async () => {
    const created = await t.request('POST', CR, {
      kind: 'put_on_hold',
      title: 'draft',
      reason: 'x',
      payload: { project: 'AMSH' },
    });
    const before = await tableCounts(t.ds);
    const res = await t.request('POST', `${CR}/${created.body.number}/approve`, {});
    expect(res.status).toBe(409);
    expect(res.body.details.state).toBe('draft');
    expect(await tableCounts(t.ds)).toEqual(before);
  });
});
