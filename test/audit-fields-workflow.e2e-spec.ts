import ExcelJS from 'exceljs';
import { getMetadataStorage } from 'class-validator';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Like, Not } from 'typeorm';
import { AuditEntry } from '../src/audit/audit-entry.entity';
import { AccountsService } from '../src/auth/accounts.service';
import { Actor } from '../src/auth/actor';
import { User } from '../src/auth/user.entity';
import { RejectDto, StepDto } from '../src/changes/dto/change-request.dto';
import { Milestone } from '../src/milestones/milestone.entity';
import { Project } from '../src/projects/project.entity';
import { SpendConfirmationService } from '../src/quarterly-updates/spend-confirmation.service';
import { UpdateDraftsService } from '../src/quarterly-updates/update-drafts.service';
import { UpdateReviewService } from '../src/quarterly-updates/update-review.service';
import { RagOverrideDto } from '../src/rag/rag.dto';
import { CreateAdjustmentDto, CreateRepaymentDto, SetActualDto } from '../src/spend/dto/spend.dto';
import { SpendProfileLine } from '../src/spend/spend.entities';
import { cli } from './support/cli';
import { databaseKinds } from './support/databases';
import { startTestApp, TestApp } from './support/test-app';

const PROG = 'SSLEP-GD-2014';
const P = `/api/programmes/${PROG}`;

/** The fields a DTO lets a write set: its validated properties, less the optimistic lock. */
function writableFields(dto: new () => object, except: string[] = []): string[] {
  const props = getMetadataStorage()
    .getTargetValidationMetadatas(dto, '', true, false)
    .map((m) => m.propertyName);
  return [...new Set(props)].filter((p) => p !== 'version' && !except.includes(p)).sort();
}

type Snap = Record<string, unknown>;

/**
 * The audit trail holds what each workflow write changed (on the demo history: reporting quarter
 * 2016-17 Q4, earlier quarters submitted): spend actuals, adjustments and repayments, the RAG
 * override, each step of a change request, returns, users and tokens (never a password hash or a
 * token secret), partner and quarterly updates, and the CLI's writes as the `--as` user.
 */
describe.each(databaseKinds())('the audit trail of workflow writes on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, { DEMO_DATA: 'true', WRITE_RATE_LIMIT: '100000' });
  });
  afterAll(async () => t?.close());

  const last = async (entity: string, action: string, entityId?: string) => {
    const [entry] = await t.ds.getRepository(AuditEntry).find({
      where: { entity, action, ...(entityId === undefined ? {} : { entityId }) },
      order: { id: 'DESC' },
      take: 1,
    });
    expect([entity, action, entry === undefined]).toEqual([entity, action, false]);
    return { ...entry, before: entry.before as Snap | null, after: entry.after as Snap };
  };
  const line = (project: string, sourceKind: string, quarter: string) =>
    t.ds
      .getRepository(SpendProfileLine)
      .createQueryBuilder('l')
      .innerJoin(Project, 'p', 'p.id = l.project_id')
      .where('p.code = :project AND l.source_kind = :sourceKind AND l.quarter = :quarter', {
        project,
        sourceKind,
        quarter,
      })
      .getOneOrFail();

  it("a spend actual: the line's actual before and after, every writable field", async () => {
    expect(writableFields(SetActualDto, ['sourceKind', 'quarter'])).toEqual(['actual']);
    const l = await line('ETRURIA', 'LGF', '2016-17 Q4');
    expect(l.actualPence).toBe(12_000_000);
    const res = await t.request('PUT', `${P}/projects/ETRURIA/spend/actual`, {
      sourceKind: 'LGF',
      quarter: '2016-17 Q4',
      actual: '125000.50',
      version: l.version,
    });
    expect([res.status, res.body.message]).toEqual([200, undefined]);
    const e = await last('spend_profile', 'set_actual', String(l.id));
    expect([e.before!.actual, e.after.actual]).toEqual(['120000.00', '125000.50']);
    expect([e.before!.version, e.after.version]).toEqual([l.version, l.version + 1]);
    expect([e.after.project, e.after.sourceKind, e.after.quarter]).toEqual(['ETRURIA', 'LGF', '2016-17 Q4']);
  });

  it('an adjustment and a repayment: the entry holds every value written (nothing before: they are never edited)', async () => {
    // Every field of the request is in the entry's after, in the API's own form.
    expect(writableFields(CreateAdjustmentDto)).toEqual([
      'amount',
      'correctsQuarter',
      'reason',
      'source',
      'sourceKind',
    ]);
    const adj = await t.request('POST', `${P}/projects/ETRURIA/spend/adjustments`, {
      sourceKind: 'LGF',
      correctsQuarter: '2016-17 Q3',
      amount: '-1500.25',
      reason: 'Invoice credited after the Q3 return (audit test)',
    });
    expect([adj.status, adj.body.message]).toEqual([201, undefined]);
    const a = await last('spend_adjustment', 'create', String(adj.body.id));
    expect(a.before).toBeNull();
    expect(a.after).toMatchObject({
      kind: 'prior_period_adjustment',
      project: 'ETRURIA',
      sourceKind: 'LGF',
      correctsQuarter: '2016-17 Q3',
      recordedInQuarter: '2016-17 Q4',
      amount: '-1500.25',
      reason: 'Invoice credited after the Q3 return (audit test)',
      source: null,
      recordedBy: t.adminActor,
    });

    expect(writableFields(CreateRepaymentDto)).toEqual(['amount', 'reason', 'reference', 'source', 'sourceKind']);
    const rep = await t.request('POST', `${P}/projects/ETRURIA/spend/repayments`, {
      sourceKind: 'LGF',
      amount: '2000.00',
      reference: 'REPAY-AUDIT-1',
      reason: 'Ineligible spend repaid by the promoter (audit test)',
    });
    expect([rep.status, rep.body.message]).toEqual([201, undefined]);
    const r = await last('spend_adjustment', 'repayment', String(rep.body.id));
    expect(r.before).toBeNull();
    expect(r.after).toMatchObject({
      kind: 'repayment',
      project: 'ETRURIA',
      sourceKind: 'LGF',
      correctsQuarter: '2016-17 Q4',
      recordedInQuarter: '2016-17 Q4',
      amount: '-2000.00',
      reference: 'REPAY-AUDIT-1',
      reason: 'Ineligible spend repaid by the promoter (audit test)',
      source: null,
    });
    const spent = r.meta as { spentBefore: string; spentAfter: string };
    expect(Number(spent.spentBefore) - Number(spent.spentAfter)).toBe(2000);
  });

  it('a RAG override: every writable field before and after, set and cleared', async () => {
    expect(writableFields(RagOverrideDto)).toEqual(['rag', 'reason']);
    const version = async () => (await t.request('GET', `${P}/projects/SWAR`)).body.version as number;
    const set = await t.request('PUT', `${P}/projects/SWAR/rag-override`, {
      rag: 'amber',
      reason: 'Contractor recovery plan agreed (audit test)',
      version: await version(),
    });
    expect([set.status, set.body.message]).toEqual([200, undefined]);
    const s = await last('project', 'rag_override');
    expect([s.before!.ragOverride, s.before!.ragOverrideReason]).toEqual([null, null]);
    expect([s.after.ragOverride, s.after.ragOverrideReason]).toEqual([
      'amber',
      'Contractor recovery plan agreed (audit test)',
    ]);
    const cleared = await t.request('PUT', `${P}/projects/SWAR/rag-override`, { rag: null, version: await version() });
    expect([cleared.status, cleared.body.message]).toEqual([200, undefined]);
    const c = await last('project', 'rag_override_cleared');
    expect([c.before!.ragOverride, c.after.ragOverride, c.after.ragOverrideReason]).toEqual(['amber', null, null]);
    expect((c.after.version as number) - (c.before!.version as number)).toBe(1);
  });

  /** A draft moving £1.00 of LGF between two projects' approved allocations. */
  const draft = async (from: string, to: string, request = t.request) => {
    const lgf = (await t.request('GET', `${P}/allocations?sourceKind=LGF&approvalState=approved&limit=500`)).body
      .items as { id: number; project: string }[];
    const id = (p: string) => lgf.find((a) => a.project === p)!.id;
    const res = await request('POST', `${P}/change-requests`, {
      kind: 'reallocation',
      title: `Move £1.00 of LGF from ${from} to ${to}`,
      reason: 'The audit of change request steps',
      payload: {
        lines: [
          { allocationId: id(from), delta: '-1.00' },
          { allocationId: id(to), delta: '1.00' },
        ],
      },
    });
    expect([res.status, res.body.message]).toEqual([201, undefined]);
    return res.body.number as number;
  };
  const STEP_FIELDS = ['decidedAt', 'decidedBy', 'decisionReason', 'state', 'submittedAt', 'submittedBy', 'version'];
  const stepOf = (s: Snap | null) => Object.fromEntries(STEP_FIELDS.map((k) => [k, s?.[k]]));

  it('change request submit, reject and withdraw: state, who, when and the reason, before and after', async () => {
    // The fields a step's request sets: the reason (recorded as the decision's) and the lock.
    expect(writableFields(StepDto)).toEqual(['reason']);
    expect(writableFields(RejectDto)).toEqual(['reason']);
    const approver = await t.as('approver');
    const n = await draft('MEAFORD', 'BERICOTE');
    const submitted = await t.request('POST', `${P}/change-requests/${n}/submit`, {});
    expect(submitted.status).toBe(200);
    const s = await last('change_request', 'submit', String(n));
    expect(Object.keys(s.before!).sort()).toEqual(STEP_FIELDS);
    expect(stepOf(s.before)).toEqual({
      state: 'draft',
      submittedBy: null,
      submittedAt: null,
      decidedBy: null,
      decidedAt: null,
      decisionReason: null,
      version: 1,
    });
    expect(stepOf(s.after)).toEqual({
      state: 'submitted',
      submittedBy: t.adminActor,
      submittedAt: submitted.body.submittedAt,
      decidedBy: null,
      decidedAt: null,
      decisionReason: null,
      version: 2,
    });
    const rejected = await approver('POST', `${P}/change-requests/${n}/reject`, {
      reason: 'Not evidenced (audit test)',
    });
    expect([rejected.status, rejected.body.message]).toEqual([200, undefined]);
    const r = await last('change_request', 'reject', String(n));
    expect(stepOf(r.before)).toEqual(stepOf(s.after));
    expect(stepOf(r.after)).toEqual({
      state: 'rejected',
      submittedBy: t.adminActor,
      submittedAt: submitted.body.submittedAt,
      decidedBy: r.actor,
      decidedAt: rejected.body.decidedAt,
      decisionReason: 'Not evidenced (audit test)',
      version: 3,
    });
    expect(r.actor).toMatch(/^Test approver \d+/);

    const w = await draft('MEAFORD', 'BERICOTE');
    const withdrawn = await t.request('POST', `${P}/change-requests/${w}/withdraw`, { reason: 'Superseded' });
    expect([withdrawn.status, withdrawn.body.message]).toEqual([200, undefined]);
    const wd = await last('change_request', 'withdraw', String(w));
    expect([wd.before!.state, wd.before!.decisionReason]).toEqual(['draft', null]);
    expect([wd.after.state, wd.after.decisionReason, wd.after.version]).toEqual(['withdrawn', 'Superseded', 2]);
  });

  it('change request approval: the decision (state, who, when, reason) beside what it applied', async () => {
    const approver = await t.as('approver');
    const n = await draft('MEAFORD', 'BERICOTE');
    expect((await t.request('POST', `${P}/change-requests/${n}/submit`, {})).status).toBe(200);
    const approved = await approver('POST', `${P}/change-requests/${n}/approve`, { reason: 'Board minute (audit)' });
    expect([approved.status, approved.body.message]).toEqual([200, undefined]);
    const a = await last('change_request', 'approve', String(n));
    expect(stepOf(a.before)).toMatchObject({ state: 'submitted', decidedBy: null, decidedAt: null, version: 2 });
    expect(stepOf(a.after)).toEqual({
      state: 'approved',
      submittedBy: t.adminActor,
      submittedAt: approved.body.submittedAt,
      decidedBy: a.actor,
      decidedAt: approved.body.decidedAt,
      decisionReason: 'Board minute (audit)',
      version: 3,
    });
    // What it applied is still there: each allocation before and after.
    const amounts = (s: Snap) =>
      (s.allocations as { project: string; amount: string }[]).map((x) => [x.project, x.amount]).sort();
    const before = amounts(a.before!);
    const after = amounts(a.after);
    expect(before.map(([p]) => p)).toEqual(['BERICOTE', 'MEAFORD']);
    expect(after.map(([p, x], i) => [p, (Number(x) - Number(before[i][1])).toFixed(2)])).toEqual([
      ['BERICOTE', '1.00'],
      ['MEAFORD', '-1.00'],
    ]);
  });

  it("the CLI's change request steps are audited as the API's, as the --as user", async () => {
    const pm = await t.userFor('programme_manager', { projects: ['MEAFORD', 'BERICOTE'] });
    const approver = await t.userFor('approver');
    const lgf = (await t.request('GET', `${P}/allocations?sourceKind=LGF&approvalState=approved&limit=500`)).body
      .items as { id: number; project: string }[];
    const id = (p: string) => lgf.find((a) => a.project === p)!.id;
    const dir = mkdtempSync(join(tmpdir(), 'gdt-audit-cli-'));
    const payload = join(dir, 'payload.json');
    writeFileSync(
      payload,
      JSON.stringify({
        lines: [
          { allocationId: id('MEAFORD'), delta: '-1.00' },
          { allocationId: id('BERICOTE'), delta: '1.00' },
        ],
      }),
    );
    const run = async (args: string[]) => {
      const r = await cli([...args, '--programme', PROG], t.env);
      expect([args[1], r.code, r.err]).toEqual([args[1], 0, '']);
      return r.out;
    };
    const out = await run([
      'change',
      'create',
      '--kind',
      'reallocation',
      '--title',
      'CLI move',
      '--reason',
      'CLI audit',
      '--payload',
      payload,
      '--as',
      pm,
    ]);
    const n = Number(/drafted change request (\d+)/.exec(out)![1]);
    await run(['change', 'submit', '--number', String(n), '--as', pm]);
    await run(['change', 'reject', '--number', String(n), '--reason', 'CLI says no', '--as', approver]);
    const viaApi = await draft('MEAFORD', 'BERICOTE');
    expect((await t.request('POST', `${P}/change-requests/${viaApi}/submit`, {})).status).toBe(200);
    const apiApprover = await t.as('approver');
    expect((await apiApprover('POST', `${P}/change-requests/${viaApi}/reject`, { reason: 'API says no' })).status).toBe(
      200,
    );
    const shape = (e: { before: Snap | null; after: Snap; projectId: number | null }) => [
      e.before === null ? null : Object.keys(e.before).sort(),
      Object.keys(e.after).sort(),
      e.projectId,
    ];
    const user = async (email: string) => t.ds.getRepository(User).findOneByOrFail({ email });
    for (const action of ['create', 'submit', 'reject']) {
      const c = await last('change_request', action, String(n));
      const a = await last('change_request', action, String(viaApi));
      expect([action, ...shape(c)]).toEqual([action, ...shape(a)]);
      const who = action === 'reject' ? await user(approver) : await user(pm);
      expect(c.actor).toBe(`${who.name} <${who.email}> via cli:${process.env.USER ?? 'unknown'}`);
    }
    const rejected = await last('change_request', 'reject', String(n));
    expect([rejected.after.state, rejected.after.decisionReason, rejected.after.decidedBy]).toEqual([
      'rejected',
      'CLI says no',
      rejected.actor,
    ]);
    const submitted = await last('change_request', 'submit', String(n));
    expect(submitted.after.submittedBy).toBe(submitted.actor);

    // Approve and withdraw: the CLI's entries have the API's fields (the API's from the tests above).
    const drafted = async () =>
      Number(
        /drafted change request (\d+)/.exec(
          await run([
            'change',
            'create',
            '--kind',
            'reallocation',
            '--title',
            'CLI move',
            '--reason',
            'CLI audit',
            '--payload',
            payload,
            '--as',
            pm,
          ]),
        )![1],
      );
    const a = await drafted();
    await run(['change', 'submit', '--number', String(a), '--as', pm]);
    await run(['change', 'approve', '--number', String(a), '--reason', 'CLI board minute', '--as', approver]);
    const w = await drafted();
    await run(['change', 'withdraw', '--number', String(w), '--reason', 'CLI superseded', '--as', pm]);
    const keys = (x: Snap | null) => Object.keys(x ?? {}).sort();
    const apiApproved = await t.ds.getRepository(AuditEntry).findOneOrFail({
      where: { entity: 'change_request', action: 'approve', actor: Not(Like('%via cli:%')) },
      order: { id: 'DESC' },
    });
    const cliApproved = await last('change_request', 'approve', String(a));
    expect([keys(cliApproved.before), keys(cliApproved.after)]).toEqual([
      keys(apiApproved.before as Snap),
      keys(apiApproved.after as Snap),
    ]);
    expect([cliApproved.after.state, cliApproved.after.decisionReason, cliApproved.after.decidedBy]).toEqual([
      'approved',
      'CLI board minute',
      cliApproved.actor,
    ]);
    expect(cliApproved.actor).toBe(
      `${(await user(approver)).name} <${approver}> via cli:${process.env.USER ?? 'unknown'}`,
    );
    const cliWithdrawn = await last('change_request', 'withdraw', String(w));
    expect([keys(cliWithdrawn.before), keys(cliWithdrawn.after)]).toEqual([STEP_FIELDS, STEP_FIELDS]);
    expect([cliWithdrawn.after.state, cliWithdrawn.after.decisionReason]).toEqual(['withdrawn', 'CLI superseded']);
    expect(cliWithdrawn.actor).toBe(`${(await user(pm)).name} <${pm}> via cli:${process.env.USER ?? 'unknown'}`);
  });

  it('a return resubmission: which version before and after, its hashes and the summary totals', async () => {
    const R = `${P}/returns/2016-17-Q3`;
    const live = await t.request('GET', `${R}?live=true`);
    expect([live.status, live.body.submittable]).toEqual([200, true]);
    const checks = live.body.return.checks as { code: string; severity: string }[];
    const comments = Object.fromEntries(
      [...new Set(checks.filter((c) => c.severity === 'warning').map((c) => c.code))].map((c) => [
        c,
        `Explained for the audit test (${c})`,
      ]),
    );
    const v1 = (await t.request('GET', `${P}/returns`)).body.items.find(
      (v: { quarter: string }) => v.quarter === '2016-17 Q3',
    ) as { version: number; contentHash: string };
    const res = await t.request('POST', `${R}/submit`, { comments, reason: 'Corrected Q3 figures (audit test)' });
    expect([
      res.status,
      res.body.message,
      res.body.checks?.filter((c: { severity: string }) => c.severity === 'error'),
    ]).toEqual([201, undefined, []]);
    const e = await last('return_version', 'resubmit');
    expect([e.before!.quarter, e.before!.version, e.before!.contentHash]).toEqual([
      '2016-17 Q3',
      v1.version,
      v1.contentHash,
    ]);
    expect([e.after.quarter, e.after.version, e.after.contentHash, e.after.reason]).toEqual([
      '2016-17 Q3',
      v1.version + 1,
      res.body.contentHash,
      'Corrected Q3 figures (audit test)',
    ]);
    expect(e.after.comments).toEqual(comments);
    expect([e.after.submittedBy, e.after.status]).toEqual([t.adminActor, 'submitted']);
    // The totals are the frozen snapshot's "Total, all sources", before and after.
    const totalsOf = async (version: number) => {
      const doc = JSON.parse((await t.getBytes(`${R}/versions/${version}`)).bytes.toString('utf8'));
      const summary = doc.sections.find((s: { key: string }) => s.key === 'summary');
      return summary.totals.find((x: { label: string }) => x.label === 'Total, all sources').values;
    };
    expect(e.before!.totals).toEqual(await totalsOf(v1.version));
    expect(e.after.totals).toEqual(await totalsOf(v1.version + 1));
    expect((e.after.totals as { allocation: string }).allocation).toMatch(/^\d+\.\d{2}$/);
    // The CLI's resubmission, as a named finance user, is audited in the same form.
    const finance = await t.userFor('finance');
    const viaCli = await cli(
      [
        'return',
        'submit',
        '--programme',
        PROG,
        '--quarter',
        '2016-17 Q3',
        '--reason',
        'Corrected again (CLI)',
        ...Object.entries(comments).flatMap(([k, v]) => ['--comment', `${k}=${v}`]),
        '--as',
        finance,
      ],
      t.env,
    );
    expect([viaCli.code, viaCli.err]).toEqual([0, '']);
    const c = await last('return_version', 'resubmit');
    expect(Object.keys(c.after).sort()).toEqual(Object.keys(e.after).sort());
    expect(c.before).toEqual(e.after);
    expect([c.after.version, c.after.reason, c.after.totals]).toEqual([
      v1.version + 2,
      'Corrected again (CLI)',
      await totalsOf(v1.version + 2),
    ]);
    const who = await t.ds.getRepository(User).findOneByOrFail({ email: finance });
    expect([c.actor, c.after.submittedBy]).toEqual([
      `${who.name} <${who.email}> via cli:${process.env.USER ?? 'unknown'}`,
      c.actor,
    ]);
    // The first submission of a quarter has no before; its after has the same fields.
    const first = await t.ds.getRepository(AuditEntry).findOneOrFail({
      where: { entity: 'return_version', action: 'submit' },
      order: { id: 'DESC' },
    });
    expect(first.before).toBeNull();
    expect(Object.keys(first.after as Snap).sort()).toEqual(Object.keys(e.after).sort());
  });

  it('users and tokens: each write before and after, never a password hash or a token secret', async () => {
    const start = (await t.ds.getRepository(AuditEntry).find({ order: { id: 'DESC' }, take: 1 }))[0].id;
    const email = 'audit.person@test.invalid';
    const password = 'correct horse battery staple audit';
    const made = await cli(
      [
        'user',
        'create',
        '--name',
        'Audit Person',
        '--email',
        email,
        '--role',
        'programme_manager',
        '--projects',
        'SWAR,AMSH',
        '--programme',
        PROG,
        '--password-stdin',
        '--as',
        t.adminEmail,
      ],
      t.env,
      `${password}\n`,
    );
    expect([made.code, made.err]).toEqual([0, '']);
    const u = await t.ds.getRepository(User).findOneByOrFail({ email });
    const created = await last('user', 'create', String(u.id));
    expect(created.after).toMatchObject({ name: 'Audit Person', email, role: 'programme_manager', active: true });
    expect((created.after.projects as string[]).sort()).toEqual(['SSLEP-GD-2014/AMSH', 'SSLEP-GD-2014/SWAR']);
    const firstPassword = await last('user', 'set_password', String(u.id));
    expect(firstPassword.before).toEqual({ passwordChangedAt: null });
    expect(firstPassword.after.passwordChangedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);

    const again = await cli(
      ['user', 'set-password', '--email', email, '--password-stdin'],
      t.env,
      'another long passphrase for audit\n',
    );
    expect([again.code, again.err]).toEqual([0, '']);
    const second = await last('user', 'set_password', String(u.id));
    expect(second.before).toEqual({ passwordChangedAt: firstPassword.after.passwordChangedAt });
    expect(second.after.passwordChangedAt).not.toEqual(second.before!.passwordChangedAt);

    const tok = await cli(['token', 'create', '--email', email, '--days', '7', '--label', 'audit'], t.env);
    expect(tok.code).toBe(0);
    const token = tok.out.trim();
    const publicId = /^gdt_([^_]+)_/.exec(token)![1];
    const issued = await last('api_token', 'create', publicId);
    expect(issued.after).toMatchObject({ user: email, label: 'audit' });
    expect(issued.after.expiresAt).toMatch(/^\d{4}-\d{2}-\d{2}/);
    const revoke = await cli(['token', 'revoke', publicId], t.env);
    expect([revoke.code, revoke.err]).toEqual([0, '']);
    const revoked = await last('api_token', 'revoke', publicId);
    expect(revoked.before).toEqual({ revokedAt: null });
    expect(revoked.after.revokedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);

    // The staff pages' account writes (the admin's user pages call these).
    const accounts = t.app.get(AccountsService);
    const admin: Actor = { userId: null, name: 'audit admin', role: 'admin' };
    await accounts.changeRole(u.id, 'finance', admin);
    const role = await last('user', 'update', String(u.id));
    expect(role.before).toEqual({
      role: 'programme_manager',
      version: 1,
      projects: expect.arrayContaining([expect.any(String)]),
    });
    expect((role.before!.projects as string[]).length).toBe(2);
    // Finance holds no projects: the role change drops them, and says so.
    expect(role.after).toEqual({ role: 'finance', version: 2, projects: [] });
    await accounts.setActive(u.id, false, admin);
    const off = await last('user', 'deactivate', String(u.id));
    expect([off.before, off.after]).toEqual([
      { active: true, version: 2 },
      { active: false, version: 3 },
    ]);
    await accounts.unlock(u.id, admin);
    const unlocked = await last('user', 'unlock', String(u.id));
    expect([unlocked.before, unlocked.after]).toEqual([
      { lockedAt: null, failures: 0 },
      { lockedAt: null, failures: 0 },
    ]);

    // Nothing secret anywhere in these entries.
    const hash: string = (await t.ds.query(`SELECT password_hash AS h FROM app_user WHERE id = ${u.id}`))[0].h;
    const secret: string = (
      await t.ds.query(`SELECT secret_sha256 AS s FROM api_token WHERE public_id = '${publicId}'`)
    )[0].s;
    expect(hash).toMatch(/^\$argon2id\$/);
    const entries = (await t.ds.getRepository(AuditEntry).find({ order: { id: 'ASC' } })).filter((e) => e.id > start);
    expect(entries.map((e) => e.action)).toEqual([
      'create',
      'set_password',
      'set_password',
      'create',
      'revoke',
      'update',
      'deactivate',
      'unlock',
    ]);
    const text = JSON.stringify(entries);
    // The secret is base64url and may itself hold '_': take everything after the public id.
    const tokenSecret = token.slice(`gdt_${publicId}_`.length);
    expect(tokenSecret).toHaveLength(43);
    for (const s of [hash, secret, token, tokenSecret, password, 'another long passphrase'])
      expect(text.includes(s)).toBe(false);
    expect(text).not.toMatch(/passwordHash|secretSha256|argon2/);
  });

  it('a partner update: one entry holding each applied row before and after, in the rows’ own audit form', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gdt-audit-partner-'));
    const file = join(dir, 'etruria.xlsx');
    const tpl = await cli(
      ['template', '--project', 'ETRURIA', '--quarter', '2016-17 Q4', '--programme', PROG, '--out', file],
      t.env,
    );
    expect([tpl.code, tpl.err]).toEqual([0, '']);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(file) as unknown as ArrayBuffer);
    const spend = wb.getWorksheet('Spend')!;
    const row = spend
      .getRows(2, spend.rowCount - 1)!
      .find((r) => r.getCell(1).value === 'LGF' && r.getCell(2).value === '2017-18 Q1')!;
    const old = await line('ETRURIA', 'LGF', '2017-18 Q1');
    row.getCell(4).value = '90,000.50';
    const ms = wb.getWorksheet('Milestones')!;
    const msRow = ms.getRows(2, ms.rowCount - 1)!.find((r) => r.getCell(2).value === 'Practical completion')!;
    const milestone = await t.ds.getRepository(Milestone).findOneByOrFail({ id: Number(msRow.getCell(1).value) });
    msRow.getCell(4).value = new Date(Date.UTC(2018, 5, 29));
    const filled = join(dir, 'filled.xlsx');
    writeFileSync(filled, Buffer.from(await wb.xlsx.writeBuffer()));
    // Forecasts and milestones are a programme manager's figures (the CLI import checks each cell's API roles).
    const pm = await t.userFor('programme_manager', { projects: ['ETRURIA'] });
    const res = await cli(['import', filled, '--as', pm], t.env);
    expect([res.code, res.err]).toEqual([0, '']);
    const e = await last('partner_update', 'import');
    const rows = (s: unknown) =>
      (s as { entity: string; entityId: string; action: string; values: Snap | null }[]).map((r) => [
        r.entity,
        r.entityId,
        r.action,
      ]);
    expect(rows(e.before)).toEqual([
      ['spend_profile', String(old.id), 'set_forecast'],
      ['milestone', String(milestone.id), 'update'],
    ]);
    expect(rows(e.after)).toEqual(rows(e.before));
    const [spendBefore, msBefore] = (e.before as unknown as { values: Snap }[]).map((r) => r.values);
    const [spendAfter, msAfter] = (e.after as unknown as { values: Snap }[]).map((r) => r.values);
    expect([spendBefore.forecast, spendAfter.forecast]).toEqual([(old.forecastPence / 100).toFixed(2), '90000.50']);
    expect([msBefore.forecastDate, msAfter.forecastDate]).toEqual([milestone.forecastDate, '2018-06-29']);
    // Every field the milestone's own update keeps (notes included) is in the row.
    expect(Object.keys(msAfter).sort()).toEqual(
      ['actualDate', 'baselineDate', 'forecastDate', 'id', 'kind', 'notes', 'status', 'title', 'version'].sort(),
    );
    expect(e.meta).toMatchObject({ rows: 2, quarter: '2016-17 Q4' });
    expect(e.actor).toMatch(/^Test programme_manager \d+ </);
  });

  it('a quarterly update: each save and step before and after; the acceptance holds every figure it applied', async () => {
    const svc = t.app.get(UpdateDraftsService);
    const review = t.app.get(UpdateReviewService);
    const partner: Actor = { userId: null, name: 'audit partner', role: 'admin' };
    const reviewer: Actor = { userId: null, name: 'audit reviewer', role: 'admin' };
    const l = await line('LICHFIELD', 'LGF', '2016-17 Q4');
    const next = await line('LICHFIELD', 'LGF', '2017-18 Q1');
    const saved = await svc.saveSpend(
      PROG,
      'LICHFIELD',
      {
        actuals: { LGF: 4_321_00 },
        forecasts: { 'LGF|2017-18 Q1': next.forecastPence + 100_00 },
        readAsCumulative: [],
        readAsQuarter: ['LGF'],
      },
      partner,
    );
    expect(saved).toEqual({ saved: true, questions: [] });
    const s = await last('quarterly_update', 'save_spend');
    expect(s.before).toBeNull();
    expect(s.after).toMatchObject({
      status: 'in_progress',
      actuals: { LGF: '4321.00' },
      forecasts: { 'LGF|2017-18 Q1': ((next.forecastPence + 100_00) / 100).toFixed(2) },
      version: 1,
    });
    const ms = await t.ds.getRepository(Milestone).findOneByOrFail({ id: (await openMilestone('LICHFIELD')).id });
    await svc.saveMilestones(
      PROG,
      'LICHFIELD',
      {
        [String(ms.id)]: { forecastDate: ms.forecastDate, actualDate: null, status: 'open', notes: 'Audited note' },
      },
      1,
      partner,
    );
    await svc.saveNarrative(PROG, 'LICHFIELD', 'On track (audit test)', 2, partner);
    const n = await last('quarterly_update', 'save_narrative');
    expect([n.before!.narrative, n.after.narrative]).toEqual([undefined, 'On track (audit test)']);
    expect([n.before!.version, n.after.version]).toEqual([2, 3]);

    // Outputs and risks are required parts of an update: finished here without changes.
    await svc.saveOutputs(PROG, 'LICHFIELD', { claims: [], forecasts: {}, complete: true }, 3, partner);
    await svc.reviewRisks(PROG, 'LICHFIELD', true, 4, partner);
    await review.submit(PROG, 'LICHFIELD', 5, partner);
    const sub = await last('quarterly_update', 'submit');
    expect([sub.before!.status, sub.after.status, sub.before!.submittedBy, sub.after.submittedBy]).toEqual([
      'in_progress',
      'submitted',
      null,
      'audit partner',
    ]);
    expect(sub.after.submittedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    await review.returnForRevision(PROG, 'LICHFIELD', 'Check the forecast (audit test)', 6, reviewer);
    const ret = await last('quarterly_update', 'return');
    expect([ret.before!.returnComment, ret.after.returnComment, ret.after.decidedBy]).toEqual([
      null,
      'Check the forecast (audit test)',
      'audit reviewer',
    ]);
    await review.submit(PROG, 'LICHFIELD', 7, partner);
    await review.accept(PROG, 'LICHFIELD', 8, reviewer);
    const acc = await last('quarterly_update', 'accept');
    expect([acc.before!.status, acc.after.status, acc.after.decidedBy]).toEqual([
      'submitted',
      'accepted',
      'audit reviewer',
    ]);
    type Applied = { entity: string; entityId: string; action: string; values: Snap | null }[];
    const applied = (s: Snap | null) => s!.applied as Applied;
    // The acceptance applies the forecast and the milestone; the actual waits for finance.
    expect(applied(acc.after).map((r) => [r.entity, r.entityId, r.action])).toEqual([
      ['spend_profile', String(next.id), 'set_forecast'],
      ['milestone', String(ms.id), 'update'],
    ]);
    const [fBefore, mBefore] = applied(acc.before).map((r) => r.values!);
    const [fAfter, mAfter] = applied(acc.after).map((r) => r.values!);
    expect([fBefore.forecast, fAfter.forecast]).toEqual([
      (next.forecastPence / 100).toFixed(2),
      ((next.forecastPence + 100_00) / 100).toFixed(2),
    ]);
    expect([mBefore.notes, mAfter.notes]).toEqual([ms.notes, 'Audited note']);
    expect([acc.before!.actualSpend, acc.after.actualSpend]).toEqual([undefined, 'awaiting finance confirmation']);
    const finance: Actor = { userId: null, name: 'audit finance', role: 'finance' };
    await t.app.get(SpendConfirmationService).confirm(PROG, 'LICHFIELD', '2016-17 Q4', undefined, finance);
    const conf = await last('quarterly_update', 'confirm_spend');
    expect(conf.actor).toBe('audit finance');
    expect(applied(conf.after).map((r) => [r.entity, r.entityId, r.action])).toEqual([
      ['spend_profile', String(l.id), 'set_actual'],
    ]);
    const [aBefore] = applied(conf.before).map((r) => r.values!);
    const [aAfter] = applied(conf.after).map((r) => r.values!);
    expect([aBefore.actual, aAfter.actual]).toEqual([
      l.actualPence === null ? null : (l.actualPence / 100).toFixed(2),
      '4321.00',
    ]);
    expect([conf.before!.actualSpend, conf.after.actualSpend, conf.after.spendConfirmedBy]).toEqual([
      'awaiting finance confirmation',
      'confirmed by finance',
      'audit finance',
    ]);
  });

  const openMilestone = async (project: string) => {
    const p = await t.ds.getRepository(Project).findOneByOrFail({ code: project });
    return t.ds
      .getRepository(Milestone)
      .findOneOrFail({ where: { projectId: p.id, status: 'open' }, order: { id: 'ASC' } });
  };
});
