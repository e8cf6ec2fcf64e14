import { Actor } from '../src/auth/actor';
import { ChangeRequestsService } from '../src/changes/change-requests.service';
import { cli as runCli } from './support/cli';
import { databaseKinds } from './support/databases';
import { startTestApp, TestApp } from './support/test-app';

const CODE = 'SSLEP-GD-2014';
// Manages every project of the 2014 deal (scope follows the data a change touches).
const PM: Actor = {
  userId: null,
  name: 'pat.manager',
  role: 'programme_manager',
  projects: ['AMSH', 'BERICOTE', 'BRANSTON', 'ETRURIA', 'LICHFIELD', 'LSTP', 'MEAFORD', 'SWAR'].map(
    (p) => `SSLEP-GD-2014/${p}`,
  ),
};

const cli = (t: TestApp, args: string[]) => runCli(args, t.env);

describe.each(databaseKinds())('change request CLI on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => t?.close());

  it('lists, shows, approves and prints the envelope; refuses a reject without a reason', async () => {
    const allocs = (await t.request('GET', `/api/programmes/${CODE}/allocations?sourceKind=LGF&limit=100`)).body
      .items as { id: number; project: string }[];
    const id = (p: string) => allocs.find((a) => a.project === p)!.id;
    const svc = t.app.get(ChangeRequestsService);
    const cr = await svc.create(
      CODE,
      {
        kind: 'reallocation',
        title: 'Meaford to Lichfield',
        reason: 'underspend',
        payload: {
          lines: [
            { allocationId: id('MEAFORD'), delta: '-1000000.00' },
            { allocationId: id('LICHFIELD'), delta: '1000000.00' },
          ],
        },
      },
      PM,
    );
    await svc.submit(CODE, cr.number, {}, PM);

    const list = await cli(t, ['change', 'list', '--programme', CODE, '--state', 'submitted']);
    expect(list.code).toBe(0);
    expect(list.out).toBe(`#${cr.number}\tsubmitted\treallocation\tMeaford to Lichfield\n`);

    const noReason = await cli(t, ['change', 'reject', '--programme', CODE, '--number', String(cr.number)]);
    expect(noReason.code).toBe(2);

    const approve = await cli(t, [
      'change',
      'approve',
      '--programme',
      CODE,
      '--number',
      String(cr.number),
      '--reason',
      'board minute 5',
    ]);
    expect(approve.err).toBe('');
    expect(approve.code).toBe(0);
    expect(approve.out).toContain(`change request ${cr.number} is approved`);

    const show = await cli(t, ['change', 'show', '--programme', CODE, '--number', String(cr.number)]);
    expect(show.out).toContain('state:       approved (version 3)');
    expect(show.out).toMatch(/decided: {5}\S+ by cli:\S+: board minute 5/);

    const again = await cli(t, ['change', 'approve', '--programme', CODE, '--number', String(cr.number)]);
    expect(again.code).toBe(2);
    expect(again.err).toContain('is approved: only a submitted change request can be approved');

    const env = await cli(t, ['change', 'envelope', '--programme', CODE]);
    expect(env.out.split('\n')[1]).toBe('LGF\t34600000.00\t34600000.00\t0.00');
    const lichfield = (await t.request('GET', `/api/programmes/${CODE}/allocations/${id('LICHFIELD')}`)).body.amount;
    expect(lichfield).toBe('5000000.00');
  });
});
