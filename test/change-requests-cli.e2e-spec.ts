import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditEntry } from '../src/audit/audit-entry.entity';
import { cli as runCli } from './support/cli';
import { databaseKinds } from './support/databases';
import { startTestApp, TestApp } from './support/test-app';

const CODE = 'SSLEP-GD-2014';
const ALL_PROJECTS = ['AMSH', 'BERICOTE', 'BRANSTON', 'ETRURIA', 'LICHFIELD', 'LSTP', 'MEAFORD', 'SWAR'];
const USER = process.env.USER ?? 'unknown';

const cli = (t: TestApp, args: string[]) => runCli(args, t.env);

describe.each(databaseKinds())('change request CLI on %s', (kind) => {
  let t: TestApp;
  let dir: string;
  let payload: string;
  let pm: string;
  let approver: string;
  let viewer: string;
  beforeAll(async () => {
    t = await startTestApp(kind);
    dir = mkdtempSync(join(tmpdir(), 'cr-cli-'));
    const allocs = (await t.request('GET', `/api/programmes/${CODE}/allocations?sourceKind=LGF&limit=100`)).body
      .items as { id: number; project: string }[];
    const id = (p: string) => allocs.find((a) => a.project === p)!.id;
    payload = join(dir, 'meaford-to-lichfield.json');
    writeFileSync(
      payload,
      JSON.stringify({
        lines: [
          { allocationId: id('MEAFORD'), delta: '-1000000.00' },
          { allocationId: id('LICHFIELD'), delta: '1000000.00' },
        ],
      }),
    );
    // Manages every project of the 2014 deal (scope follows the data a change touches).
    pm = await t.userFor('programme_manager', { projects: ALL_PROJECTS });
    approver = await t.userFor('approver');
    viewer = await t.userFor('viewer');
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t?.close();
  });

  const draft = (as: string[]) =>
    cli(t, [
      'change',
      'create',
      '--programme',
      CODE,
      '--kind',
      'reallocation',
      '--title',
      'Meaford to Lichfield',
      '--reason',
      'underspend',
      '--payload',
      payload,
      ...as,
    ]);
  const step = (name: string, n: number, as: string[], extra: string[] = []) =>
    cli(t, ['change', name, '--programme', CODE, '--number', String(n), ...extra, ...as]);

  it('drafts, submits, lists, shows, approves and prints the envelope as named users; refuses a reject without a reason', async () => {
    const drafted = await draft(['--as', pm]);
    expect(drafted.err).toBe('');
    const n = Number(/drafted change request (\d+):/.exec(drafted.out)![1]);
    expect((await step('submit', n, ['--as', pm])).out).toContain(`change request ${n} is submitted`);

    const list = await cli(t, ['change', 'list', '--programme', CODE, '--state', 'submitted']);
    expect(list.code).toBe(0);
    expect(list.out).toBe(`#${n}\tsubmitted\treallocation\tMeaford to Lichfield\n`);

    const noReason = await step('reject', n, ['--as', approver]);
    expect(noReason.code).toBe(2);

    const approve = await step('approve', n, ['--as', approver.toUpperCase()], ['--reason', 'board minute 5']);
    expect(approve.err).toBe('');
    expect(approve.code).toBe(0);
    expect(approve.out).toContain(`change request ${n} is approved`);

    const show = await cli(t, ['change', 'show', '--programme', CODE, '--number', String(n)]);
    expect(show.out).toContain('state:       approved (version 3)');
    const approverName = `Test approver ${approver.match(/-(\d+)@/)![1]} <${approver}> via cli:${USER}`;
    expect(show.out).toMatch(
      new RegExp(`decided: {5}\\S+ by ${approverName.replace(/[.<>]/g, (c) => `\\${c}`)}: board minute 5`),
    );
    expect(show.out).toContain(`submitted:   `);
    expect(show.out).toContain(`by Test programme_manager ${pm.match(/-(\d+)@/)![1]} <${pm}> via cli:${USER}`);

    // Audited as the user named, with the operator's login beside it.
    const audit = await t.ds
      .getRepository(AuditEntry)
      .findOneOrFail({ where: { entity: 'change_request', action: 'approve', entityId: String(n) } });
    expect(audit.actor).toBe(approverName);

    const again = await step('approve', n, ['--as', approver]);
    expect(again.code).toBe(2);
    expect(again.err).toContain('is approved: only a submitted change request can be approved');

    const env = await cli(t, ['change', 'envelope', '--programme', CODE]);
    expect(env.out.split('\n')[1]).toBe('LGF\t34600000.00\t34600000.00\t0.00');
    const lichfield = (await t.request('GET', `/api/programmes/${CODE}/allocations`)).body.items.find(
      (a: { project: string; sourceKind: string }) => a.project === 'LICHFIELD' && a.sourceKind === 'LGF',
    ).amount;
    expect(lichfield).toBe('5000000.00');
  });

  it('refuses every write without --as, for an unknown user, and for a role the API refuses; nothing is written', async () => {
    const before = await t.ds.getRepository(AuditEntry).count();
    const none = await draft([]);
    expect(none.code).toBe(2);
    expect(none.out).toBe('');
    expect(none.err).toBe(
      "error: as: change create writes as a named user: add --as <email> of a user whose role may do this (admin, programme_manager, finance). The CLI is an operator's tool with database access, so --as is attribution, not authentication\n",
    );
    const unknown = await draft(['--as', 'nobody@test.invalid']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toBe(
      'error: as: "nobody@test.invalid" is not an active user: name a user whose role may do this (admin, programme_manager, finance) (npm run cli -- user list)\n',
    );
    const asViewer = await draft(['--as', viewer]);
    expect(asViewer.code).toBe(2);
    expect(asViewer.err).toBe(
      'error: your role (viewer) may not do this; allowed: admin, programme_manager, finance\n',
    );
    expect(await t.ds.getRepository(AuditEntry).count()).toBe(before);

    const n = Number(/drafted change request (\d+):/.exec((await draft(['--as', pm])).out)![1]);
    for (const name of ['submit', 'withdraw', 'approve']) {
      const r = await step(name, n, []);
      expect([name, r.code, r.err]).toEqual([
        name,
        2,
        expect.stringContaining(`error: as: change ${name} writes as a named user: add --as <email>`),
      ]);
    }
    await step('submit', n, ['--as', pm]);
    // The programme manager who submitted it may not approve (the route is the approver's)...
    const self = await step('approve', n, ['--as', pm]);
    expect([self.code, self.err]).toEqual([
      2,
      'error: your role (programme_manager) may not do this; allowed: admin, approver\n',
    ]);
    const rej = await step('reject', n, ['--as', viewer], ['--reason', 'no']);
    expect([rej.code, rej.err]).toEqual([2, 'error: your role (viewer) may not do this; allowed: admin, approver\n']);
    // ...and an admin who submitted may not decide it either: separation of duties by user, not login.
    const n2 = Number(/drafted change request (\d+):/.exec((await draft(['--as', t.adminEmail])).out)![1]);
    await step('submit', n2, ['--as', t.adminEmail]);
    const own = await step('approve', n2, ['--as', t.adminEmail]);
    expect(own.code).toBe(2);
    expect(own.err).toContain('someone else must decide it (separation of duties)');
    expect((await cli(t, ['change', 'show', '--programme', CODE, '--number', String(n)])).out).toContain(
      'state:       submitted',
    );
  });

  it('applies the named user’s project scope as the API does', async () => {
    const etruriaOnly = await t.userFor('programme_manager', { projects: ['ETRURIA'] });
    const r = await draft(['--as', etruriaOnly]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^error: payload: project "(MEAFORD|LICHFIELD)" is not assigned to you/);
  });
});
