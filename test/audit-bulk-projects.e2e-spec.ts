import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './support/cli';
import { databaseKinds } from './support/databases';
import { startTestApp, TestApp } from './support/test-app';

const P = '/api/programmes/SSLEP-GD-2014';

interface Shown {
  action: string;
  entity: string;
  project: string | null;
  meta: { file?: string } | null;
}

/**
 * A bulk write is one audit entry, yet each project it touched lists it in its own trail (API
 * and `audit --project`), through the entry-to-project links written in the same transaction.
 */
describe.each(databaseKinds())("a project's audit trail includes bulk writes that touched it on %s", (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, { DEMO_DATA: 'false' });
  });
  afterAll(async () => t?.close());

  const trail = async (project: string): Promise<Shown[]> => {
    const res = await t.request('GET', `${P}/projects/${project}/audit?limit=500`);
    expect(res.status).toBe(200);
    return res.body.items as Shown[];
  };

  it('an actuals CSV touching SWAR and AMSH is in both trails, by API and CLI, and not in LICHFIELD', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gdt-audit-bulk-'));
    const file = join(dir, 'bulk.csv');
    writeFileSync(
      file,
      'project,sourceKind,quarter,actual\nSWAR,LGF,2015-16 Q1,"1,000.00"\nAMSH,LGF,2015-16 Q1,£250\n',
    );
    const finance = ['--as', await t.userFor('finance')];
    const imported = await cli(['actuals', 'import', file, ...finance], t.env);
    expect([imported.code, imported.err]).toEqual([0, '']);

    const importsIn = (items: Shown[]) =>
      items.filter((a) => a.action === 'import_actuals').map((a) => [a.entity, a.project, a.meta?.file]);
    expect(importsIn(await trail('SWAR'))).toEqual([['spend_profile', null, 'bulk.csv']]);
    expect(importsIn(await trail('AMSH'))).toEqual([['spend_profile', null, 'bulk.csv']]);
    expect(importsIn(await trail('LICHFIELD'))).toEqual([]);
    // The programme's trail has the import once, not once per project.
    const all = (await t.request('GET', `${P}/audit?limit=500`)).body.items as Shown[];
    expect(importsIn(all)).toEqual([['spend_profile', null, 'bulk.csv']]);

    const shown = async (project: string) => {
      const r = await cli(['audit', '--programme', 'SSLEP-GD-2014', '--project', project, '--limit', '500'], t.env);
      expect([r.code, r.err]).toEqual([0, '']);
      return r.out.split('\n').filter((l) => l.includes('import_actuals spend_profile'));
    };
    for (const x of ['SWAR', 'AMSH']) {
      const lines = await shown(x);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain('"file":"bulk.csv"');
    }
    expect(await shown('LICHFIELD')).toEqual([]);
  });

  it("the deal load is in every loaded project's trail", async () => {
    for (const x of ['SWAR', 'AMSH', 'LICHFIELD'])
      expect((await trail(x)).filter((a) => a.action === 'seed').map((a) => [a.entity, a.project])).toEqual([
        ['programme', null],
      ]);
  });

  it('an approved reallocation between MEAFORD and BERICOTE is in both trails, not in LICHFIELD', async () => {
    const lgf = (await t.request('GET', `${P}/allocations?sourceKind=LGF&approvalState=approved`)).body.items as {
      id: number;
      project: string;
    }[];
    const id = (p: string) => lgf.find((a) => a.project === p)!.id;
    const draft = await t.request('POST', `${P}/change-requests`, {
      kind: 'reallocation',
      title: 'Move £1,000.00 of LGF',
      reason: 'The audit trail of a change across projects',
      payload: {
        lines: [
          { allocationId: id('MEAFORD'), delta: '-1000.00' },
          { allocationId: id('BERICOTE'), delta: '1000.00' },
        ],
      },
    });
    expect(draft.status).toBe(201);
    const n = draft.body.number as number;
    expect((await t.request('POST', `${P}/change-requests/${n}/submit`, {})).status).toBe(200);
    const approver = await t.as('approver');
    const approved = await approver('POST', `${P}/change-requests/${n}/approve`, { reason: 'Board minute 2015/12' });
    expect([approved.status, approved.body.message]).toEqual([200, undefined]);
    const approvals = (items: Shown[]) =>
      items.filter((a) => a.action === 'approve').map((a) => [a.entity, (a.meta as { number?: number }).number]);
    expect(approvals(await trail('MEAFORD'))).toEqual([['change_request', n]]);
    expect(approvals(await trail('BERICOTE'))).toEqual([['change_request', n]]);
    expect(approvals(await trail('LICHFIELD'))).toEqual([]);
  });
});
