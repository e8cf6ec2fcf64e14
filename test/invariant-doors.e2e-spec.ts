import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { Role } from '../src/auth/roles.decorator';
import { cli } from './support/cli';
import { databaseKinds } from './support/databases';
import { installChangeJournal } from './support/change-journal';
import { exampleBody, OpenApiDoc } from './support/openapi-examples';
import { discoverRoutes, fillPath, isWrite } from './support/routes';
import { startTestApp, TestApp } from './support/test-app';
import { P } from './support/write-fixtures';

/**
 * Issue 14: "Every invariant has one door; a refused invariant stays refused through every
 * route." A table of invariants, each with every route (API and CLI) that can carry its field:
 * the door that checks it and the side doors that answer that it has one door. Each is sent
 * the same violation; each must refuse with a 4xx (exit 2 on the CLI) and the invariant's own
 * code, and nothing may be written (a change journal counts every row change in every table).
 *
 * Side doors are found, not listed: every write route of the running app whose request body
 * (its OpenAPI schema, which is its DTO: unknown fields are refused) carries one of the
 * invariant's fields must appear in the table, so a new route that could write the field
 * fails here until its refusal is added and checked.
 */
interface Door {
  route: string;
  /** Path parameters beyond the defaults. */
  params?: Record<string, string>;
  body?: (v: Versions) => unknown;
  /** Or: the route's OpenAPI example body with these fields replaced. */
  example?: Record<string, unknown>;
  query?: (v: Versions) => string;
  roles?: Role[];
  /** Status and code every role listed must get. */
  expect: [number, string];
  /** Roles that may not call the route at all get the guard's refusal instead. */
  forbidden?: Role[];
}
interface Invariant {
  name: string;
  /** Body fields that carry it. */
  fields: string[];
  /** Which discovered routes carrying a field belong to it (e.g. only project routes for `status`). */
  routes: (method: string, url: string) => boolean;
  /** Routes carrying the field that are not doors to this invariant, each with its reason. */
  notDoors?: Record<string, string>;
  doors: Door[];
  cli?: { args: (f: Files) => string[]; as: Role; err: RegExp }[];
}
interface Versions {
  programme: number;
  project: number;
  approvedAllocation: number;
  draftAllocation: number;
  closedActual: number;
}
interface Files {
  closedQuarterCsv: string;
  hugeCsv: string;
}

const CLOSED = '2015-16 Q1';
const OVER_MAX = '1000000000.01';

const INVARIANTS: Invariant[] = [
  {
    name: 'RAG thresholds in order (amber below green)',
    fields: ['ragThresholds', 'financeGreenMin', 'financeAmberMin', 'outputGreenMin', 'outputAmberMin'],
    routes: () => true,
    doors: [
      {
        route: 'PUT /api/programmes/:code/rag/thresholds',
        body: (v) => ({ financeGreenMin: 80, financeAmberMin: 90, version: v.programme }),
        expect: [400, 'VALIDATION_FAILED'],
      },
      {
        route: 'PATCH /api/programmes/:code',
        body: (v) => ({ ragThresholds: { financeGreenMin: 80, financeAmberMin: 90 }, version: v.programme }),
        expect: [422, 'ONE_DOOR'],
      },
    ],
  },
  {
    name: "a project's status changes only through an approved change request",
    fields: ['status'],
    routes: (_m, url) => /\/projects(\/:project)?$/.test(url),
    notDoors: { 'POST /api/programmes/:code/projects': "a new project's first status, not a change of one" },
    doors: [
      {
        route: 'PATCH /api/programmes/:code/projects/:project',
        body: (v) => ({ status: 'withdrawn', version: v.project }),
        roles: ['admin', 'programme_manager'],
        forbidden: ['finance', 'approver', 'viewer'],
        expect: [422, 'STATUS_BY_CHANGE_REQUEST'],
      },
    ],
  },
  {
    name: 'approved allocations change only through approval',
    fields: ['amount', 'period', 'commitmentStatus'],
    routes: (_m, url) => url.includes('/allocations/:id'),
    doors: [
      {
        route: 'PATCH /api/programmes/:code/allocations/:id',
        params: { id: 'approved' },
        body: (v) => ({ amount: '1.00', version: v.approvedAllocation }),
        expect: [409, 'APPROVED_ALLOCATION'],
      },
      {
        route: 'DELETE /api/programmes/:code/allocations/:id',
        params: { id: 'approved' },
        query: (v) => `?version=${v.approvedAllocation}`,
        expect: [409, 'APPROVED_ALLOCATION'],
      },
    ],
  },
  {
    name: `every amount at most ${'£1,000,000,000.00'} either sign`,
    fields: ['amount', 'forecast', 'actual'],
    routes: (_m, url) => url.startsWith('/api/'),
    notDoors: {
      'POST /api/deals':
        "a seed file's amounts: checked by the same parser (seed.e2e-spec.ts), refused as SEED_INVALID",
      'PUT /api/programmes/:code/outputs/:metric': 'an output forecast is a quantity, not money',
      'PUT /api/programmes/:code/projects/:project/outputs/:metric': 'an output forecast is a quantity, not money',
    },
    doors: [
      {
        route: 'POST /api/programmes/:code/allocations',
        body: () => ({
          sourceKind: 'LGF',
          project: 'ETRURIA',
          period: '2016-17',
          amount: OVER_MAX,
          commitmentStatus: 'indicative',
        }),
        expect: [400, 'VALIDATION_FAILED'],
      },
      {
        route: 'POST /api/programmes/:code/headlines',
        example: { code: 'DOORS-HEADLINE', amount: OVER_MAX },
        expect: [400, 'VALIDATION_FAILED'],
      },
      {
        route: 'PATCH /api/programmes/:code/allocations/:id',
        params: { id: 'draft' },
        body: (v) => ({ amount: OVER_MAX, version: v.draftAllocation }),
        expect: [400, 'VALIDATION_FAILED'],
      },
      {
        route: 'PUT /api/programmes/:code/projects/:project/spend/forecast',
        body: () => ({ sourceKind: 'LGF', quarter: '2017-18 Q1', forecast: OVER_MAX }),
        expect: [400, 'VALIDATION_FAILED'],
      },
      {
        route: 'PUT /api/programmes/:code/projects/:project/spend/actual',
        body: () => ({ sourceKind: 'LGF', quarter: '2016-17 Q4', actual: OVER_MAX }),
        expect: [400, 'VALIDATION_FAILED'],
      },
      {
        route: 'POST /api/programmes/:code/projects/:project/spend/adjustments',
        body: () => ({ sourceKind: 'LGF', correctsQuarter: CLOSED, amount: OVER_MAX, reason: 'invariant test' }),
        expect: [400, 'VALIDATION_FAILED'],
      },
      {
        route: 'POST /api/programmes/:code/projects/:project/spend/repayments',
        body: () => ({ sourceKind: 'LGF', amount: OVER_MAX, reference: 'R1', reason: 'invariant test' }),
        expect: [400, 'VALIDATION_FAILED'],
      },
      {
        route: 'POST /api/programmes/:code/change-requests',
        body: () => ({
          kind: 'envelope_change',
          title: 'Too much',
          reason: 'invariant test',
          payload: { sourceKind: 'LGF', delta: OVER_MAX },
        }),
        expect: [400, 'VALIDATION_FAILED'],
      },
    ],
    cli: [
      {
        args: (f) => ['actuals', 'import', f.hugeCsv, '--programme', 'SSLEP-GD-2014'],
        as: 'finance',
        err: /at most 1000000000\.00/,
      },
    ],
  },
  {
    name: 'an allocation period is a year, a range of years from one, or unprofiled',
    fields: ['period'],
    routes: (_m, url) => url.startsWith('/api/'),
    notDoors: {
      'POST /api/deals': "a seed file's periods: the same parser (funding/period.ts), refused whole as SEED_INVALID",
    },
    doors: [
      {
        route: 'POST /api/programmes/:code/allocations',
        body: () => ({
          sourceKind: 'LGF',
          project: 'ETRURIA',
          period: '2016-18',
          amount: '1.00',
          commitmentStatus: 'indicative',
        }),
        expect: [400, 'VALIDATION_FAILED'],
      },
      {
        route: 'PATCH /api/programmes/:code/allocations/:id',
        params: { id: 'draft' },
        body: (v) => ({ period: '2016-18', version: v.draftAllocation }),
        expect: [400, 'VALIDATION_FAILED'],
      },
      {
        route: 'POST /api/programmes/:code/change-requests',
        body: () => ({
          kind: 'reallocation',
          title: 'Bad period',
          reason: 'invariant test',
          payload: {
            lines: [
              {
                new: { sourceKind: 'LGF', project: 'ETRURIA', period: '2016-18', commitmentStatus: 'confirmed' },
                amount: '1.00',
              },
            ],
          },
        }),
        expect: [400, 'VALIDATION_FAILED'],
      },
    ],
  },
  {
    name: 'an allocation’s years lie inside the programme (2015-16 to 2020-21)',
    fields: ['period'],
    routes: (_m, url) => url.startsWith('/api/'),
    notDoors: {
      'POST /api/deals': 'a new deal names its own programme years (seed-validation.ts checks them)',
    },
    doors: [
      {
        route: 'POST /api/programmes/:code/allocations',
        body: () => ({
          sourceKind: 'LGF',
          project: 'ETRURIA',
          period: '2014-15',
          amount: '1.00',
          commitmentStatus: 'indicative',
        }),
        expect: [422, 'YEAR_OUTSIDE_PROGRAMME'],
      },
      {
        route: 'PATCH /api/programmes/:code/allocations/:id',
        params: { id: 'draft' },
        body: (v) => ({ period: '2021-22', version: v.draftAllocation }),
        expect: [422, 'YEAR_OUTSIDE_PROGRAMME'],
      },
      {
        route: 'POST /api/programmes/:code/change-requests',
        body: () => ({
          kind: 'reallocation',
          title: 'Year before the programme',
          reason: 'invariant test',
          payload: {
            lines: [
              {
                new: { sourceKind: 'LGF', project: 'ETRURIA', period: '2014-15', commitmentStatus: 'confirmed' },
                amount: '1.00',
              },
            ],
          },
        }),
        expect: [422, 'YEAR_OUTSIDE_PROGRAMME'],
      },
    ],
  },
  {
    name: 'a submitted quarter’s actuals change only by adjustment',
    fields: ['actual'],
    routes: (_m, url) => url.startsWith('/api/'),
    doors: [
      {
        route: 'PUT /api/programmes/:code/projects/:project/spend/actual',
        body: (v) => ({ sourceKind: 'LGF', quarter: CLOSED, actual: '1.00', version: v.closedActual }),
        expect: [409, 'PERIOD_LOCKED'],
      },
    ],
    cli: [
      {
        args: (f) => ['actuals', 'import', f.closedQuarterCsv, '--programme', 'SSLEP-GD-2014', '--replace'],
        as: 'finance',
        err: /2015-16 Q1.*(submitted|locked)/i,
      },
    ],
  },
];

type Schema = {
  $ref?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
};

/** Every property name anywhere in a request body schema. */
function fieldsOf(
  doc: OpenApiDoc,
  s: Schema | undefined,
  seen = new Set<string>(),
  out = new Set<string>(),
): Set<string> {
  if (!s) return out;
  if (s.$ref) {
    const name = s.$ref.split('/').pop()!;
    if (seen.has(name)) return out;
    seen.add(name);
    return fieldsOf(doc, doc.components.schemas[name] as Schema, seen, out);
  }
  for (const [k, p] of Object.entries(s.properties ?? {})) {
    out.add(k);
    fieldsOf(doc, p, seen, out);
  }
  for (const x of [...(s.allOf ?? []), ...(s.oneOf ?? []), ...(s.anyOf ?? [])]) fieldsOf(doc, x, seen, out);
  fieldsOf(doc, s.items, seen, out);
  return out;
}

async function one(ds: DataSource, sql: string): Promise<number> {
  return Number(Object.values((await ds.query(sql))[0])[0]);
}

describe.each(databaseKinds())('every invariant has one door, on %s', (kind) => {
  let t: TestApp;
  let doc: OpenApiDoc;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    t = await startTestApp(kind, { DEMO_DATA: 'true', WRITE_RATE_LIMIT: '1000000' });
    doc = (await t.request('GET', '/api/docs-json')).body;
    // A draft allocation, and an approved one of ETRURIA (the demo quarters are submitted, so no fixture claims).
    const draft = await t.request('POST', `${P}/allocations`, {
      sourceKind: 'LGF',
      project: 'ETRURIA',
      period: '2016-17',
      amount: '5.00',
      commitmentStatus: 'indicative',
    });
    expect(draft.status).toBe(201);
    ids.draft = String(draft.body.id);
    ids.approved = String(
      (await t.request('GET', `${P}/allocations?project=ETRURIA&approvalState=approved`)).body.items[0].id,
    );
  });
  afterAll(async () => t?.close());

  it('finds every write route that carries an invariant’s field in the table', () => {
    const writes = discoverRoutes(t.app).filter((r) => isWrite(r.method));
    const missing: string[] = [];
    for (const inv of INVARIANTS) {
      const listed = new Set([...inv.doors.map((d) => d.route), ...Object.keys(inv.notDoors ?? {})]);
      for (const r of writes) {
        const op = doc.paths[r.url.replace(/:(\w+)/g, '{$1}')]?.[r.method.toLowerCase()];
        const schema = op?.requestBody?.content?.['application/json']?.schema as Schema | undefined;
        const fields = fieldsOf(doc, schema);
        const carries = inv.fields.filter((x) => fields.has(x));
        const key = `${r.method} ${r.url}`;
        if (carries.length && inv.routes(r.method, r.url) && !listed.has(key))
          missing.push(`${inv.name}: ${key} carries ${carries.join(', ')}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('refuses each violation through every door with the invariant’s code, and writes nothing', async () => {
    const got: string[] = [];
    const want: string[] = [];
    const requesters: Partial<Record<Role, Awaited<ReturnType<TestApp['as']>>>> = {};
    for (const role of ['programme_manager', 'finance', 'approver', 'viewer'] as const)
      requesters[role] = await t.as(role, role === 'programme_manager' ? { projects: ['ETRURIA'] } : {});
    const cliUsers: Partial<Record<Role, string>> = {};
    for (const c of INVARIANTS.flatMap((i) => i.cli ?? [])) cliUsers[c.as] ??= await t.userFor(c.as);
    const as = (role: Role) => (role === 'admin' ? t.request : requesters[role]!);
    // From here on every committed row change counts (token bookkeeping aside).
    const journal = await installChangeJournal(t.ds, ['api_token']);
    const versions = async (): Promise<Versions> => {
      const profile = (await t.request('GET', `${P}/projects/ETRURIA/spend`)).body.profile as {
        quarter: string;
        sourceKind: string;
        version: number;
      }[];
      return {
        programme: (await t.request('GET', P)).body.version,
        project: (await t.request('GET', `${P}/projects/ETRURIA`)).body.version,
        approvedAllocation: (await t.request('GET', `${P}/allocations/${ids.approved}`)).body.version,
        draftAllocation: (await t.request('GET', `${P}/allocations/${ids.draft}`)).body.version,
        closedActual: profile.find((r) => r.quarter === CLOSED && r.sourceKind === 'LGF')!.version,
      };
    };
    for (const inv of INVARIANTS) {
      for (const d of inv.doors) {
        const [method, route] = d.route.split(' ');
        const id = d.params?.id === 'approved' ? ids.approved : ids.draft;
        for (const role of [...(d.roles ?? ['admin']), ...(d.forbidden ?? [])]) {
          const v = await versions();
          const url = fillPath(route, { code: 'SSLEP-GD-2014', project: 'ETRURIA', id }) + (d.query ? d.query(v) : '');
          const before = await journal.snapshot();
          const body = d.example
            ? { ...(exampleBody(doc, method, route) as Record<string, unknown>), ...d.example }
            : d.body?.(v);
          const res = await as(role)(method, url, body);
          const after = await journal.snapshot();
          const expected = d.forbidden?.includes(role) ? [403, 'ROLE_NOT_ALLOWED'] : d.expect;
          want.push(`${inv.name} | ${d.route} as ${role} → ${expected.join(' ')}; wrote nothing`);
          got.push(
            `${inv.name} | ${d.route} as ${role} → ${res.status} ${res.body?.code}; ${after === before ? 'wrote nothing' : `wrote ${journal.changed(before, after).join(', ')}`}`,
          );
        }
      }
      for (const c of inv.cli ?? []) {
        const dir = mkdtempSync(join(tmpdir(), 'gdt-doors-'));
        const files: Files = { closedQuarterCsv: join(dir, 'closed.csv'), hugeCsv: join(dir, 'huge.csv') };
        writeFileSync(files.closedQuarterCsv, `project,sourceKind,quarter,actual\nETRURIA,LGF,${CLOSED},"12,000"\n`);
        writeFileSync(files.hugeCsv, `project,sourceKind,quarter,actual\nETRURIA,LGF,2016-17 Q4,"1,000,000,000.01"\n`);
        const email = cliUsers[c.as]!;
        const before = await journal.snapshot();
        const res = await cli([...c.args(files), '--as', email], t.env);
        const after = await journal.snapshot();
        const args = c.args(files).slice(0, 2).join(' ');
        want.push(`${inv.name} | cli ${args} → exit 2 matching ${c.err}; wrote nothing`);
        got.push(
          `${inv.name} | cli ${args} → exit ${res.code} ${c.err.test(res.err) ? `matching ${c.err}` : res.err.trim()}; ${after === before ? 'wrote nothing' : `wrote ${journal.changed(before, after).join(', ')}`}`,
        );
      }
    }
    expect(got).toEqual(want);
    // The invariants themselves, read back: thresholds in order, ETRURIA not withdrawn.
    const r = (await t.request('GET', `${P}/rag/thresholds`)).body;
    const thresholds = r.thresholds ?? r;
    expect(thresholds.financeAmberMin).toBeLessThan(thresholds.financeGreenMin);
    expect((await t.request('GET', `${P}/projects/ETRURIA`)).body.status).not.toBe('withdrawn');
    expect(await one(t.ds, `SELECT COUNT(*) FROM allocation WHERE amount_pence > 100000000000`)).toBe(0);
  });
});
