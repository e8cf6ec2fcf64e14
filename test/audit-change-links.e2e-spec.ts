import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from './support/cli';
import { databaseKinds } from './support/databases';
import { startTestApp, TestApp } from './support/test-app';

const PROG = 'SSLEP-GD-2014';
const P = `/api/programmes/${PROG}`;

interface Shown {
  action: string;
  entity: string;
  entityId: string | null;
  project: string | null;
}

/**
 * A change request is in the trail of every project it touches from its first draft: create,
 * edit (the projects it touched and those it touches now), submit, reject and withdraw, as well
 * as approval; and the illustrative demo history's one load entry is in the trail of every
 * project it wrote to. Exact counts, by the API's project filter and by `audit --project`.
 */
describe.each(databaseKinds())("a project's audit trail lists change requests and the demo load on %s", (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, { DEMO_DATA: 'true', WRITE_RATE_LIMIT: '100000' });
  });
  afterAll(async () => t?.close());

  const trail = async (project: string): Promise<Shown[]> => {
    const res = await t.request('GET', `${P}/projects/${project}/audit?limit=500`);
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(res.body.items.length);
    return res.body.items as Shown[];
  };
  const cliTrail = async (project: string): Promise<Shown[]> => {
    const r = await cli(['audit', '--programme', PROG, '--project', project, '--limit', '500', '--json'], t.env);
    expect([r.code, r.err]).toEqual([0, '']);
    return JSON.parse(r.out).items as Shown[];
  };
  /** The actions on change request `n` in a trail, oldest first. */
  const stepsOf = (items: Shown[], n: number) =>
    items
      .filter((a) => a.entity === 'change_request' && a.entityId === String(n))
      .map((a) => a.action)
      .reverse();

  const lgf = async () =>
    (await t.request('GET', `${P}/allocations?sourceKind=LGF&approvalState=approved&limit=500`)).body.items as {
      id: number;
      project: string;
    }[];
  const move = async (from: string, to: string) => {
    const all = await lgf();
    const id = (p: string) => all.find((a) => a.project === p)!.id;
    return {
      lines: [
        { allocationId: id(from), delta: '-1.00' },
        { allocationId: id(to), delta: '1.00' },
      ],
    };
  };

  it('create, edit, submit and reject: each in the trail of the projects it touched then', async () => {
    const draft = await t.request('POST', `${P}/change-requests`, {
      kind: 'reallocation',
      title: 'Move £1.00 of LGF from MEAFORD to BERICOTE',
      reason: 'Project links in the audit trail',
      payload: await move('MEAFORD', 'BERICOTE'),
    });
    expect([draft.status, draft.body.message]).toEqual([201, undefined]);
    const n = draft.body.number as number;
    // The edit moves the money to LICHFIELD instead: BERICOTE is no longer touched.
    const edited = await t.request('PATCH', `${P}/change-requests/${n}`, {
      version: draft.body.version,
      title: 'Move £1.00 of LGF from MEAFORD to LICHFIELD',
      payload: await move('MEAFORD', 'LICHFIELD'),
    });
    expect([edited.status, edited.body.message]).toEqual([200, undefined]);
    expect((await t.request('POST', `${P}/change-requests/${n}/submit`, {})).status).toBe(200);
    const approver = await t.as('approver');
    expect((await approver('POST', `${P}/change-requests/${n}/reject`, { reason: 'Not yet' })).status).toBe(200);

    const expected: Record<string, string[]> = {
      MEAFORD: ['create', 'update', 'submit', 'reject'],
      BERICOTE: ['create', 'update'],
      LICHFIELD: ['update', 'submit', 'reject'],
      SWAR: [],
    };
    for (const [project, steps] of Object.entries(expected)) {
      expect([project, stepsOf(await trail(project), n)]).toEqual([project, steps]);
      expect([project, 'cli', stepsOf(await cliTrail(project), n)]).toEqual([project, 'cli', steps]);
    }
    // Linked, not owned: the entries name no single project, and the programme lists each once.
    expect((await trail('MEAFORD')).filter((a) => a.entityId === String(n)).map((a) => a.project)).toEqual([
      null,
      null,
      null,
      null,
    ]);
    const all = (await t.request('GET', `${P}/audit?limit=500`)).body.items as Shown[];
    expect(stepsOf(all, n)).toEqual(['create', 'update', 'submit', 'reject']);
  });

  it('a withdrawal is in the trail of the projects the request touches', async () => {
    const draft = await t.request('POST', `${P}/change-requests`, {
      kind: 'reallocation',
      title: 'Move £1.00 of LGF from AMSH to SWAR',
      reason: 'Project links in the audit trail',
      payload: await move('AMSH', 'SWAR'),
    });
    expect(draft.status).toBe(201);
    const n = draft.body.number as number;
    expect((await t.request('POST', `${P}/change-requests/${n}/withdraw`, { reason: 'Not needed' })).status).toBe(200);
    for (const project of ['AMSH', 'SWAR'])
      expect([project, stepsOf(await trail(project), n)]).toEqual([project, ['create', 'withdraw']]);
    expect(stepsOf(await trail('MEAFORD'), n)).toEqual([]);
  });

  it("the demo history: its load entry is in each project it wrote to, and each demo change request's steps in its projects'", async () => {
    const demo = JSON.parse(readFileSync(join(__dirname, '..', 'seeds', 'demo-delivery.json'), 'utf8')) as Record<
      string,
      { project: string }[]
    >;
    const written = new Set(
      ['spend', 'milestones', 'outputTargets', 'outputActuals'].flatMap((k) => demo[k].map((x) => x.project)),
    );
    // A project entered after the demo loaded: the load never touched it.
    const added = await t.request('POST', `${P}/projects`, { code: 'AUDITNEW', name: 'Entered after the demo' });
    expect([added.status, added.body.message]).toEqual([201, undefined]);
    const listed = (await t.request('GET', `${P}/projects?limit=500`)).body;
    const projects = ((Array.isArray(listed) ? listed : listed.items) as { code: string }[]).map((p) => p.code);
    expect(projects.filter((p) => !written.has(p))).toEqual(['AUDITNEW']);
    expect(written.size).toBe(8);
    for (const project of projects) {
      const items = await trail(project);
      expect([project, items.filter((a) => a.action === 'seed_demo').length]).toEqual([
        project,
        written.has(project) ? 1 : 0,
      ]);
    }
    // The demo's four change requests (seeds/demo-changes.json), each in its projects' trails:
    // 1 moves LGF from MEAFORD to LICHFIELD (approved), 2 re-baselines an LSTP milestone
    // (approved), 3 re-profiles BRANSTON (rejected), 4 re-profiles ETRURIA (still submitted).
    const demoSteps = async (project: string) => {
      const items = await trail(project);
      return [1, 2, 3, 4].map((n): [number, string[]] => [n, stepsOf(items, n)]).filter(([, s]) => s.length);
    };
    expect(await demoSteps('MEAFORD')).toEqual([[1, ['create', 'submit', 'approve']]]);
    expect(await demoSteps('LICHFIELD')).toEqual([[1, ['create', 'submit', 'approve']]]);
    expect(await demoSteps('LSTP')).toEqual([[2, ['create', 'submit', 'approve']]]);
    expect(await demoSteps('BRANSTON')).toEqual([[3, ['create', 'submit', 'reject']]]);
    expect(await demoSteps('ETRURIA')).toEqual([[4, ['create', 'submit']]]);
    expect(await demoSteps('SWAR')).toEqual([]);
    // The same through the CLI.
    const etruria = await cliTrail('ETRURIA');
    expect(etruria.filter((a) => a.action === 'seed_demo').length).toBe(1);
    expect(stepsOf(etruria, 4)).toEqual(['create', 'submit']);
  });
});
