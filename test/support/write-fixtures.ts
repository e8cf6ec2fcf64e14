import { TestApp } from './test-app';

/**
 * Real rows on the 2014 deal for tests that call every write route (approved-writes, fuzz-writes,
 * invariant-doors): a draft allocation, a project milestone, an output claim, and a valid body
 * for a change request of each kind (drafted on demand). `tag` keeps each test's rows apart
 * (claim key, new project code, titles).
 */
export const P = '/api/programmes/SSLEP-GD-2014';

export interface WriteFixtures {
  /** Ids as path parameters: a draft allocation, a milestone, an output claim and an open risk of ETRURIA. */
  ids: { allocation: string; milestone: string; outputActual: string; risk: string };
  /** ETRURIA's approved allocation ids, in id order. */
  approved: number[];
  /** A valid draft body for every money and delivery kind, naming the rows above. */
  changeRequests: unknown[];
  /** Drafts a change request and returns its number (as a path parameter). */
  draft(body: unknown): Promise<string>;
  /** A request as the test admin that must succeed (else the set-up throws with the answer). */
  ok(method: string, url: string, body?: unknown): Promise<any>;
}

export async function writeFixtures(t: TestApp, tag: string): Promise<WriteFixtures> {
  const ok = async (method: string, url: string, b?: unknown) => {
    const r = await t.request(method, url, b);
    if (r.status >= 300) throw new Error(`${method} ${url} → ${r.status} ${r.text}`);
    return r.body;
  };
  const allocation = String(
    (
      await ok('POST', `${P}/allocations`, {
        sourceKind: 'LGF',
        project: 'ETRURIA',
        period: '2016-17',
        amount: '5.00',
        commitmentStatus: 'indicative',
      })
    ).id,
  );
  const approved = (await ok('GET', `${P}/allocations?project=ETRURIA&approvalState=approved`)).items.map(
    (a: { id: number }) => a.id,
  );
  const milestone = String(
    (
      await ok('POST', `${P}/projects/ETRURIA/milestones`, {
        kind: 'start_on_site',
        title: 'Start on site',
        baselineDate: '2017-06-01',
      })
    ).id,
  );
  const outputActual = String(
    (
      await ok('POST', `${P}/projects/ETRURIA/outputs/JOBS_CREATED/actuals`, {
        quarter: '2015-16 Q1',
        value: 3,
        claimKey: `EMPLOYER:${tag.toUpperCase()}`,
      })
    ).id,
  );
  const risk = String(
    (
      await ok('POST', `${P}/projects/ETRURIA/risks`, {
        description: `${tag}: ground conditions worse than surveyed`,
        likelihood: 3,
        impact: 4,
        owner: 'Project director',
      })
    ).id,
  );
  const cr = (kind: string, payload: unknown) => ({
    kind,
    title: `${tag} ${kind}`,
    reason: `Written by the ${tag} test`,
    evidence: 'none',
    payload,
  });
  const changeRequests = [
    cr('reallocation', {
      lines: [
        { allocationId: approved[0], delta: '-1000.00' },
        { allocationId: approved[1], delta: '1000.00' },
      ],
    }),
    cr('reallocation', {
      lines: [
        { allocationId: approved[0], delta: '-1000.00' },
        {
          new: { sourceKind: 'LGF', project: 'LICHFIELD', period: '2016-17', commitmentStatus: 'confirmed' },
          amount: '1000.00',
        },
      ],
    }),
    cr('reprofile_years', {
      allocationId: approved[0],
      periods: [
        { period: '2016-17', amount: '1000000.00' },
        { period: '2017-18', amount: '1400000.00' },
      ],
    }),
    cr('envelope_change', { sourceKind: 'LGF_PROVISIONAL', delta: '1000000.00' }),
    cr('add_project', {
      code: `${tag
        .toUpperCase()
        .replace(/[^A-Z]/g, '')
        .slice(0, 8)}NEW`,
      name: `${tag} project`,
      theme: 'SITES',
      allocations: [{ sourceKind: 'LGF', period: '2016-17', amount: '1.00', commitmentStatus: 'confirmed' }],
    }),
    cr('withdraw_project', { project: 'BERICOTE' }),
    cr('put_on_hold', { project: 'BERICOTE' }),
    cr('reprofile_spend', {
      project: 'ETRURIA',
      sourceKind: 'LGF',
      lines: [
        { quarter: '2016-17 Q1', delta: '-300.00' },
        { quarter: '2017-18 Q1', delta: '300.00' },
      ],
    }),
    cr('rebaseline_milestone', { milestones: [{ id: Number(milestone), baselineDate: '2017-09-30' }] }),
    cr('rebaseline_target', { targets: [{ project: 'ETRURIA', metric: 'JOBS_CREATED', target: '25' }] }),
  ];
  return {
    ids: { allocation, milestone, outputActual, risk },
    approved,
    changeRequests,
    draft: async (body) => String((await ok('POST', `${P}/change-requests`, body)).number),
    ok,
  };
}
