import ExcelJS from 'exceljs';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
import { makeUser, pageText, WebClient } from './support/web-client';
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
/**
 * A staff web form (signed in, with the page's CSRF token) that carries the invariant's field:
 * the same violation must re-show the form (400) with an error that links to the field and
 * says why, and write nothing.
 */
interface WebDoor {
  route: string;
  form: (c: WebContext) => Record<string, string>;
  roles: Role[];
  /** The form field the error summary links to. */
  field: (c: WebContext) => string;
  says: (c: WebContext) => RegExp;
}
interface WebContext {
  /** An open ETRURIA milestone as the API shows it. */
  milestone: { id: number; title: string; forecastDate: string | null; notes: string | null };
}
/**
 * A cell of the partner update workbook (the `template` written for ETRURIA's reporting
 * quarter, edited, then `import`ed by the CLI as a programme manager of ETRURIA): the import is
 * refused (exit 2) naming the cell, and nothing is written.
 */
interface WorkbookDoor {
  sheet: 'Spend' | 'Milestones' | 'Outputs';
  /** Which row to edit (by its other cells, as header → value). */
  row?: (cells: Record<string, unknown>, c: WebContext) => boolean;
  /** Or: a row added after the last one, with these cells (header → value) besides `header`. */
  add?: Record<string, unknown>;
  header: string;
  value: unknown;
  says: RegExp;
}
interface Invariant {
  name: string;
  /** Staff form fields (input names) that carry it: a form with one must list its route in `web`. */
  webFields?: RegExp;
  web?: WebDoor[];
  workbook?: WorkbookDoor[];
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
  milestone: number;
  milestoneId: number;
  /** LICHFIELD's JOBS_CREATED claim in the reporting quarter (2016-17 Q4, open). */
  claim: number;
}
interface Files {
  closedQuarterCsv: string;
  hugeCsv: string;
}

const CLOSED = '2015-16 Q1';
const OVER_MAX = '1000000000.01';

/** An `add_project` change request whose one allocation has this period. */
const addProject = (period: string) => ({
  kind: 'add_project',
  title: 'A new scheme',
  reason: 'invariant test',
  payload: {
    code: 'DOORS-NEW',
    name: 'A scheme added through a door',
    allocations: [{ sourceKind: 'LGF', period, commitmentStatus: 'confirmed', amount: '1.00' }],
  },
});
/** The milestones form with one milestone's forecast and actual boxes (day month year, or blank). */
const milestoneForm = (c: WebContext, forecast: string, actual = '') => {
  const id = c.milestone.id;
  const [fd, fm, fy] = forecast.split(' ');
  const [ad = '', am = '', ay = ''] = actual ? actual.split(' ') : [];
  return {
    [`m-${id}-forecast-day`]: fd,
    [`m-${id}-forecast-month`]: fm,
    [`m-${id}-forecast-year`]: fy,
    [`m-${id}-actual-day`]: ad,
    [`m-${id}-actual-month`]: am,
    [`m-${id}-actual-year`]: ay,
    [`m-${id}-status`]: 'open',
    [`m-${id}-notes`]: c.milestone.notes ?? '',
  };
};
/** The outputs form with one new jobs claim (the update not finished, so only the claim is checked). */
const claimForm = (quarter: string, value: string) => ({
  complete: 'no',
  'o-JOBS_CREATED-1-quarter': quarter,
  'o-JOBS_CREATED-1-value': value,
  'o-JOBS_CREATED-1-key': 'EMPLOYER:DOORS',
});
const CLAIM_ROUTE = 'POST /api/programmes/:code/projects/:project/outputs/:metric/actuals';
/** A new row on the workbook's Outputs sheet: a jobs claim, its quarter or value the violation. */
const claimRow = (quarter: string | null, value: unknown = 1): Omit<WorkbookDoor, 'says'> => ({
  sheet: 'Outputs',
  add: {
    Metric: 'JOBS_CREATED',
    'Claim key': 'EMPLOYER:DOORS',
    ...(quarter === null ? { Quarter: '2016-17 Q4' } : { Value: 1 }),
  },
  header: quarter === null ? 'Value' : 'Quarter',
  value: quarter ?? value,
});
/** An output claim's quarter: the door of each place, and the outputs form's row saying why. */
const claimQuarter = (name: string, quarter: string, expect: [number, string], says: RegExp): Invariant => ({
  name,
  fields: ['quarter'],
  routes: (_m, url) => url.includes('/outputs/'),
  doors: [
    {
      route: CLAIM_ROUTE,
      body: () => ({ quarter, value: 1, claimKey: 'EMPLOYER:DOORS' }),
      expect,
    },
  ],
  webFields: /^o-\w+-\d+-quarter$/,
  web: [
    {
      route: 'POST /manage/quarter/:project/outputs',
      roles: ['delivery_partner', 'programme_manager'],
      form: () => claimForm(quarter, '1'),
      field: () => 'o-JOBS_CREATED-1-quarter',
      says: () => new RegExp(`^Jobs created \\(claim 1\\): ${says.source}$`),
    },
  ],
  workbook: [{ ...claimRow(quarter), says: new RegExp(`^${says.source}$`) }],
});
const esc = (x: string) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const INVARIANTS: Invariant[] = [
  claimQuarter(
    'an output claim’s quarter is not before the programme (2015-16 Q1)',
    '2014-15 Q4',
    [422, 'QUARTER_OUTSIDE_PROGRAMME'],
    /2014-15 Q4 is outside the programme \(2015-16 Q1 to 2020-21 Q4\)/,
  ),
  claimQuarter(
    'an output claim’s quarter inside the programme is not after the reporting quarter (2016-17 Q4)',
    '2017-18 Q1',
    [422, 'FUTURE_QUARTER'],
    /2017-18 Q1 is after the reporting quarter 2016-17 Q4: actuals cannot be recorded for the future/,
  ),
  claimQuarter(
    'an output claim’s quarter is not one whose return is submitted (2016-17 Q3)',
    '2016-17 Q3',
    [409, 'PERIOD_LOCKED'],
    /2016-17 Q3 is locked: its return has been submitted\. Record a prior-period adjustment in 2016-17 Q4 instead/,
  ),
  claimQuarter(
    'an output claim’s quarter is not after the monitoring end (2026-03-31, 2025-26 Q4)',
    '2026-27 Q1',
    [400, 'VALIDATION_FAILED'],
    /2026-27 Q1 is after the programme's monitoring end 2026-03-31 \(2025-26 Q4\): outputs are recorded up to it/,
  ),
  {
    name: 'an output target or forecast is a whole, non-negative number of the metric’s unit',
    fields: ['target', 'forecast'],
    routes: (_m, url) => url.includes('/outputs/'),
    doors: [
      {
        route: 'PUT /api/programmes/:code/projects/:project/outputs/:metric',
        body: () => ({ forecast: -1 }),
        expect: [400, 'VALIDATION_FAILED'],
      },
      {
        route: 'PUT /api/programmes/:code/projects/:project/outputs/:metric',
        body: () => ({ forecast: 10000000000000 }),
        expect: [400, 'VALIDATION_FAILED'],
      },
      {
        route: 'PUT /api/programmes/:code/outputs/:metric',
        body: () => ({ target: 12.5 }),
        expect: [400, 'VALIDATION_FAILED'],
      },
    ],
    webFields: /^o-\w+-forecast$/,
    web: [
      {
        route: 'POST /manage/quarter/:project/outputs',
        roles: ['delivery_partner', 'programme_manager'],
        form: () => ({ complete: 'no', 'o-JOBS_CREATED-forecast': '-1' }),
        field: () => 'o-JOBS_CREATED-forecast',
        says: () => /^Forecast final total of jobs created must be 0 or more$/,
      },
    ],
  },
  {
    name: 'an output claim’s value is a whole, non-negative number of the metric’s unit, at most 9,999,999,999,999',
    fields: ['value'],
    routes: (_m, url) => url.startsWith('/api/'),
    notDoors: {
      'POST /api/deals': "a headline's stated count (a seed file's headlines), not an output claim",
      'POST /api/programmes/:code/headlines': "a headline's stated count, not an output claim",
      'PUT /api/programmes/:code/open-data/assumptions/:key': 'an open-data assumption, not an output claim',
    },
    doors: [
      {
        route: CLAIM_ROUTE,
        body: () => ({ quarter: '2016-17 Q4', value: -1, claimKey: 'EMPLOYER:DOORS' }),
        expect: [400, 'VALIDATION_FAILED'],
      },
      {
        route: CLAIM_ROUTE,
        body: () => ({ quarter: '2016-17 Q4', value: 12.5, claimKey: 'EMPLOYER:DOORS' }),
        expect: [400, 'VALIDATION_FAILED'],
      },
      {
        route: CLAIM_ROUTE,
        body: () => ({ quarter: '2016-17 Q4', value: 10000000000000, claimKey: 'EMPLOYER:DOORS' }),
        expect: [400, 'VALIDATION_FAILED'],
      },
      {
        route: 'PATCH /api/programmes/:code/output-actuals/:id',
        params: { id: 'claim' },
        body: (v) => ({ value: -1, version: v.claim }),
        expect: [400, 'VALIDATION_FAILED'],
      },
      {
        route: 'PATCH /api/programmes/:code/output-actuals/:id',
        params: { id: 'claim' },
        body: (v) => ({ value: 10000000000000, version: v.claim }),
        expect: [400, 'VALIDATION_FAILED'],
      },
    ],
    webFields: /^o-\w+-\d+-value$/,
    web: [
      {
        route: 'POST /manage/quarter/:project/outputs',
        roles: ['delivery_partner', 'programme_manager'],
        form: () => claimForm('2016-17 Q4', '-1'),
        field: () => 'o-JOBS_CREATED-1-value',
        says: () => /^Amount claimed for jobs created \(claim 1\) must be 0 or more$/,
      },
      {
        route: 'POST /manage/quarter/:project/outputs',
        roles: ['programme_manager'],
        form: () => claimForm('2016-17 Q4', '12.5'),
        field: () => 'o-JOBS_CREATED-1-value',
        says: () => /^Amount claimed for jobs created \(claim 1\) must be a whole number, like 12$/,
      },
      {
        route: 'POST /manage/quarter/:project/outputs',
        roles: ['programme_manager'],
        form: () => claimForm('2016-17 Q4', '10,000,000,000,000'),
        field: () => 'o-JOBS_CREATED-1-value',
        says: () => /^Amount claimed for jobs created \(claim 1\) is too large: at most 9,999,999,999,999$/,
      },
    ],
    workbook: [-1, 12.5, 10000000000000].map((value) => ({
      ...claimRow(null, value),
      says: new RegExp(
        `^Value must be a whole number of count, not negative, at most 9999999999999 \\(found "${esc(String(value))}"\\)$`,
      ),
    })),
  },
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
    webFields: /^(actual|forecast)-/,
    web: [
      {
        route: 'POST /manage/quarter/:project/spend',
        roles: ['delivery_partner', 'programme_manager'],
        form: () => ({ 'actual-LGF': '£1,000,000,000.01' }),
        field: () => 'actual-LGF',
        says: () => /^Actual LGF spend in 2016-17 Q4 must be at most £1,000,000,000\.00 \(either sign\)$/,
      },
      {
        route: 'POST /manage/quarter/:project/spend',
        roles: ['programme_manager'],
        form: () => ({ 'forecast-LGF-2017-18-Q1': '1000000000.01' }),
        field: () => 'forecast-LGF-2017-18-Q1',
        says: () => /^LGF forecast for 2017-18 Q1 must be at most £1,000,000,000\.00 \(either sign\)$/,
      },
    ],
    workbook: [
      {
        sheet: 'Spend',
        row: (r) => r.Source === 'LGF' && r.Quarter === '2017-18 Q1',
        header: 'Latest forecast (£)',
        value: 1000000000.01,
        says: /^Latest forecast \(£\) .*at most 1000000000\.00/,
      },
      {
        sheet: 'Spend',
        row: (r) => r.Source === 'LGF' && r.Quarter === '2016-17 Q4',
        header: 'Actual (£)',
        value: '1,000,000,000.01',
        says: /^Actual \(£\) .*at most 1000000000\.00/,
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
      {
        route: 'POST /api/programmes/:code/change-requests',
        body: () => addProject('2016-18'),
        expect: [400, 'VALIDATION_FAILED'],
      },
      {
        route: 'POST /api/programmes/:code/change-requests',
        body: () => addProject('2017-18..2016-17'),
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
      {
        route: 'POST /api/programmes/:code/change-requests',
        body: () => addProject('2014-15'),
        expect: [422, 'YEAR_OUTSIDE_PROGRAMME'],
      },
      {
        route: 'POST /api/programmes/:code/change-requests',
        body: () => addProject('2019-20..2021-22'),
        expect: [422, 'YEAR_OUTSIDE_PROGRAMME'],
      },
    ],
  },
  {
    name: 'a milestone’s dates lie inside the programme (2015-04-01 to 2021-03-31)',
    fields: ['baselineDate', 'forecastDate', 'actualDate'],
    routes: (_m, url) => url.startsWith('/api/'),
    notDoors: {
      'POST /api/deals': 'a new deal names its own programme dates (seed-validation.ts checks them)',
    },
    doors: [
      {
        route: 'PATCH /api/programmes/:code/milestones/:id',
        params: { id: 'milestone' },
        body: (v) => ({ forecastDate: '2021-06-30', version: v.milestone }),
        expect: [422, 'DATE_OUTSIDE_PROGRAMME'],
      },
      {
        route: 'POST /api/programmes/:code/projects/:project/milestones',
        body: () => ({ kind: 'start_on_site', title: 'Door test', baselineDate: '2021-06-30' }),
        expect: [422, 'DATE_OUTSIDE_PROGRAMME'],
      },
      {
        route: 'POST /api/programmes/:code/milestones',
        body: () => ({ title: 'Door test', baselineDate: '2015-03-31', forecastDate: '2021-06-30' }),
        expect: [422, 'DATE_OUTSIDE_PROGRAMME'],
      },
      {
        route: 'POST /api/programmes/:code/change-requests',
        body: (v) => ({
          kind: 'rebaseline_milestone',
          title: 'Past the end',
          reason: 'invariant test',
          payload: { milestones: [{ id: v.milestoneId, baselineDate: '2021-06-30' }] },
        }),
        expect: [422, 'DATE_OUTSIDE_PROGRAMME'],
      },
    ],
    webFields: /^m-\d+-(forecast|actual)-(day|month|year)$/,
    web: [
      {
        route: 'POST /manage/quarter/:project/milestones',
        roles: ['delivery_partner', 'programme_manager'],
        form: (c) => milestoneForm(c, '30 6 2021'),
        field: (c) => `m-${c.milestone.id}-forecast-day`,
        says: (c) =>
          new RegExp(
            `^The forecast date of “${esc(c.milestone.title)}”: 2021-06-30 is outside the programme \\(2015-04-01 to 2021-03-31\\)$`,
          ),
      },
    ],
    workbook: [
      {
        sheet: 'Milestones',
        row: (r, c) => r.Id === c.milestone.id,
        header: 'Forecast date',
        value: '2021-06-30',
        says: /^2021-06-30 is outside the programme \(2015-04-01 to 2021-03-31\)$/,
      },
    ],
  },
  {
    name: 'a milestone’s actual date is not after the reporting quarter (2016-17 Q4, to 2017-03-31)',
    fields: ['actualDate'],
    routes: (_m, url) => url.startsWith('/api/'),
    notDoors: {
      'POST /api/deals': 'a new deal has no submitted quarters yet: its actual dates are checked against its dates',
    },
    doors: [
      {
        route: 'PATCH /api/programmes/:code/milestones/:id',
        params: { id: 'milestone' },
        body: (v) => ({ actualDate: '2017-05-01', version: v.milestone }),
        expect: [422, 'FUTURE_DATE'],
      },
      {
        route: 'POST /api/programmes/:code/projects/:project/milestones',
        body: () => ({
          kind: 'start_on_site',
          title: 'Door test',
          baselineDate: '2017-01-01',
          actualDate: '2017-05-01',
        }),
        expect: [422, 'FUTURE_DATE'],
      },
      {
        route: 'POST /api/programmes/:code/milestones',
        body: () => ({ title: 'Door test', baselineDate: '2017-01-01', actualDate: '2017-05-01' }),
        expect: [422, 'FUTURE_DATE'],
      },
    ],
    webFields: /^m-\d+-actual-(day|month|year)$/,
    web: [
      {
        route: 'POST /manage/quarter/:project/milestones',
        roles: ['delivery_partner', 'programme_manager'],
        form: (c) => milestoneForm(c, '1 4 2019', '1 5 2017'),
        field: (c) => `m-${c.milestone.id}-actual-day`,
        says: (c) =>
          new RegExp(`^Actual date of “${esc(c.milestone.title)}” must be the same as or before 31 March 2017$`),
      },
    ],
    workbook: [
      {
        sheet: 'Milestones',
        row: (r, c) => r.Id === c.milestone.id,
        header: 'Actual date',
        value: '2017-05-01',
        says: /^2017-05-01 is after the end of the reporting quarter \(2017-03-31\): an actual date cannot be in the future$/,
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
    workbook: [
      {
        sheet: 'Spend',
        row: (r) => r.Source === 'LGF' && r.Quarter === '2016-17 Q4',
        header: 'Quarter',
        value: CLOSED,
        says: /^2015-16 Q1 is before the reporting quarter 2016-17 Q4: its figures are locked$/,
      },
    ],
  },
  {
    name: 'a spend line’s quarter is a real quarter inside the programme (2015-16 Q1 to 2020-21 Q4)',
    fields: ['quarter'],
    routes: (_m, url) => url.includes('/spend/'),
    doors: [
      {
        route: 'PUT /api/programmes/:code/projects/:project/spend/forecast',
        body: () => ({ sourceKind: 'LGF', quarter: '2021-22 Q1', forecast: '1.00' }),
        expect: [422, 'QUARTER_OUTSIDE_PROGRAMME'],
      },
      {
        route: 'PUT /api/programmes/:code/projects/:project/spend/actual',
        body: () => ({ sourceKind: 'LGF', quarter: '2021-22 Q1', actual: '1.00' }),
        expect: [422, 'QUARTER_OUTSIDE_PROGRAMME'],
      },
    ],
    workbook: [
      {
        sheet: 'Spend',
        row: (r) => r.Source === 'LGF' && r.Quarter === '2017-18 Q1',
        header: 'Quarter',
        value: '2021-22 Q1',
        says: /^2021-22 Q1 is outside the programme \(2015-16 Q1 to 2020-21 Q4\)$/,
      },
      {
        sheet: 'Spend',
        row: (r) => r.Source === 'LGF' && r.Quarter === '2017-18 Q1',
        header: 'Quarter',
        value: '2017-18 Q5',
        says: /^must be a quarter like "2015-16 Q1"$/,
      },
    ],
  },
];

/**
 * Staff form routes that carry no invariant-governed field, each with its reason. Every POST
 * under /manage must be a web door of some invariant above or be listed here, so a new form
 * fails the first test until its refusals are added and checked.
 */
const WEB_NOT_DOORS: Record<string, string> = {
  'POST /manage/sign-in': 'an email and a password',
  'POST /manage/sign-out': 'no fields',
  'POST /manage/admin/users': 'a user’s name, email, role and projects',
  'POST /manage/admin/users/:id/role': 'a role',
  'POST /manage/admin/users/:id/projects': 'project assignments',
  'POST /manage/admin/users/:id/active': 'an account switch',
  'POST /manage/admin/users/:id/unlock': 'no fields',
  'POST /manage/admin/users/:id/password': 'a password',
  'POST /manage/admin/users/:id/tokens': 'a token’s name',
  'POST /manage/quarter/:project/narrative': 'free text',
  'POST /manage/quarter/:project/submit': 'no figures: the draft goes for review',
  'POST /manage/quarter/:project/return': 'a comment',
  'POST /manage/returns/:quarter/comments': 'a comment on one warning of the return (free text keyed by check code)',
  'POST /manage/returns/:quarter/submit':
    'a version number and a reason: freezes the return through ReturnsService, gated by its checks as the API submission',
  'POST /manage/partner-workbook/:project':
    'a partner workbook file into the quarterly update’s draft: PartnerUpdatesService.importToDraft reads its cells with the CLI `import`’s own checks (the workbook doors above), and nothing reaches the figures until the update is accepted (actual spend: until finance confirms it)',
  'POST /manage/quarter/:project/risks': 'a risk: words, two levels 1–5 and an owner',
  'POST /manage/quarter/:project/risks/:id': 'a risk: words, two levels 1–5 and an owner',
  'POST /manage/quarter/:project/risks/:id/close': 'no fields',
  'POST /manage/quarter/:project/risk-review': 'a yes or no',
  'POST /manage/change-requests/new':
    'a change request drafted by ChangeRequestsService.create with the API’s own DTO: its payload is refused as at the API door POST /api/programmes/:code/change-requests above, and nothing applies until approval',
  'POST /manage/change-requests/:number/edit':
    'a draft’s new words and payload saved by ChangeRequestsService.update, as the API’s PATCH /api/programmes/:code/change-requests/:number: its payload is refused as at the API door POST /api/programmes/:code/change-requests above, and nothing applies until approval',
  'POST /manage/change-requests/:number/submit': 'a version number: the draft goes for approval',
  'POST /manage/change-requests/:number/approve':
    'a version number: applies the approved payload through the same approval as the API, whose refusals are the doors above (all or nothing)',
  'POST /manage/change-requests/:number/reject': 'a version number and a reason (free text)',
  'POST /manage/change-requests/:number/withdraw': 'a version number',
  'POST /manage/confirm-spend':
    'a programme and quarter: confirms each accepted update’s held actuals through the spend service’s own writes, whose refusals are the API doors above',
  'POST /manage/confirm-spend/:project':
    'a version number: confirms one accepted update’s held actuals through the spend service’s own writes, whose refusals are the API doors above',
  'POST /manage/quarter/:project/accept':
    'no figures: applies the draft through the spend and milestone services, whose refusals are the API doors above (all or nothing)',
};

/** The input names of a page's form posting to `action` (hidden, text and radio alike). */
function formInputs(html: string, action: string): string[] {
  const start = html.indexOf(`action="${action}"`);
  if (start < 0) return [];
  const form = html.slice(start, html.indexOf('</form>', start));
  return [...form.matchAll(/<(?:input|textarea|select)[^>]*\bname="([^"]+)"/g)].map((m) => m[1]);
}

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
  let web: WebContext;
  const staff: Partial<Record<Role, WebClient>> = {};
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
    // An open ETRURIA milestone with no actual date, for the milestone doors.
    const ms = (await t.request('GET', `${P}/projects/ETRURIA/milestones`)).body;
    const open = ((ms.items ?? ms) as (WebContext['milestone'] & { status: string; actualDate: string | null })[])
      .filter((x) => x.status === 'open' && !x.actualDate)
      .sort((a, b) => a.id - b.id)[0];
    ids.milestone = String(open.id);
    web = { milestone: open };
    // LICHFIELD's jobs claim in the reporting quarter (its return not submitted, so the claim is open).
    const claim = (await lichfieldClaims()).find((a) => a.metric === 'JOBS_CREATED' && a.quarter === '2016-17 Q4')!;
    ids.claim = String(claim.id);
    await makeUser(t.app, 'delivery_partner', 'doors-partner@test.invalid', ['ETRURIA']);
    await makeUser(t.app, 'programme_manager', 'doors-pm@test.invalid', ['ETRURIA']);
    for (const [role, email, ip] of [
      ['delivery_partner', 'doors-partner@test.invalid', '10.9.0.1'],
      ['programme_manager', 'doors-pm@test.invalid', '10.9.0.2'],
    ] as const) {
      const c = new WebClient(t.app, ip);
      expect((await c.signIn(email)).status).toBe(303);
      staff[role] = c;
    }
  });
  afterAll(async () => t?.close());
  const lichfieldClaims = async () =>
    (
      (await t.request('GET', `${P}/projects/LICHFIELD/outputs`)).body.metrics as {
        metric: string;
        actuals: { id: number; quarter: string; version: number }[];
      }[]
    ).flatMap((x) => x.actuals.map((a) => ({ ...a, metric: x.metric })));

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

  it('finds every staff form that carries an invariant’s field in the table', async () => {
    const writes = discoverRoutes(t.app).filter((r) => isWrite(r.method) && r.url.startsWith('/manage'));
    const doorsOf = (inv: Invariant) => new Set((inv.web ?? []).map((d) => d.route));
    const listed = new Set([...INVARIANTS.flatMap((i) => [...doorsOf(i)]), ...Object.keys(WEB_NOT_DOORS)]);
    const missing: string[] = [];
    let forms = 0;
    for (const r of writes) {
      const key = `${r.method} ${r.url}`;
      if (!listed.has(key)) missing.push(`${key} is neither a door nor listed as carrying no invariant field`);
      if (r.method !== 'POST' || r.url.includes(':id')) continue;
      // The form a person fills in for this route: the GET page at the same address.
      const url = fillPath(r.url, { project: 'ETRURIA' });
      const page = await staff.programme_manager!.get(url);
      const names = page.status === 200 ? formInputs(page.body, url) : [];
      if (names.length) forms++;
      for (const inv of INVARIANTS) {
        const carries = names.filter((n) => inv.webFields?.test(n));
        if (carries.length && !doorsOf(inv).has(key))
          missing.push(`${inv.name}: the form of ${key} carries ${carries.slice(0, 3).join(', ')}`);
      }
    }
    expect(missing).toEqual([]);
    // The spend, milestones and narrative forms were read (the check is not vacuous).
    expect(forms).toBeGreaterThanOrEqual(3);
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
    // The partner update workbook of ETRURIA's reporting quarter, as the CLI writes it.
    const dir = mkdtempSync(join(tmpdir(), 'gdt-doors-wb-'));
    const tpl = await cli(
      ['template', '--project', 'ETRURIA', '--quarter', '2016-17 Q4', '--out', join(dir, 'etruria.xlsx')],
      t.env,
    );
    expect([tpl.code, tpl.err]).toEqual([0, '']);
    const template = readFileSync(join(dir, 'etruria.xlsx'));
    const workbookUser = await t.userFor('programme_manager', { projects: ['ETRURIA'] });
    // From here on every committed row change counts (token bookkeeping aside).
    const journal = await installChangeJournal(t.ds, ['api_token', 'web_session']);
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
        milestone: (await t.request('GET', `${P}/milestones/${ids.milestone}`)).body.version,
        milestoneId: Number(ids.milestone),
        claim: (await lichfieldClaims()).find((a) => a.id === Number(ids.claim))!.version,
      };
    };
    for (const inv of INVARIANTS) {
      for (const d of inv.doors) {
        const [method, route] = d.route.split(' ');
        const id = ids[d.params?.id ?? 'draft'];
        for (const role of [...(d.roles ?? ['admin']), ...(d.forbidden ?? [])]) {
          const v = await versions();
          const url =
            fillPath(route, { code: 'SSLEP-GD-2014', project: 'ETRURIA', metric: 'JOBS_CREATED', id }) +
            (d.query ? d.query(v) : '');
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
      for (const d of inv.web ?? []) {
        const [, route] = d.route.split(' ');
        const url = fillPath(route, { project: 'ETRURIA' });
        for (const role of d.roles) {
          const c = staff[role]!;
          await c.get(url); // the form, and its CSRF token
          const before = await journal.snapshot();
          const res = await c.post(url, d.form(web));
          const after = await journal.snapshot();
          const field = d.field(web);
          const link = new RegExp(`href="#${field}"[^>]*>([^<]*)<`).exec(res.body)?.[1];
          const said = link === undefined ? 'no error linking to the field' : pageText(link);
          want.push(`${inv.name} | web ${d.route} as ${role} → 400; #${field}: ${d.says(web)}; wrote nothing`);
          got.push(
            `${inv.name} | web ${d.route} as ${role} → ${res.status}; #${field}: ${d.says(web).test(said) ? d.says(web) : said}; ${after === before ? 'wrote nothing' : `wrote ${journal.changed(before, after).join(', ')}`}`,
          );
        }
      }
      for (const d of inv.workbook ?? []) {
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(template as unknown as ArrayBuffer);
        const ws = wb.getWorksheet(d.sheet)!;
        const headers = (ws.getRow(1).values as ExcelJS.CellValue[]).slice(1).map(String);
        const rowNo = d.add
          ? ws.rowCount + 1
          : ws
              .getRows(2, ws.rowCount - 1)!
              .find((r) => d.row!(Object.fromEntries(headers.map((h, i) => [h, r.getCell(i + 1).value])), web))!.number;
        for (const [h, x] of Object.entries(d.add ?? {}))
          ws.getRow(rowNo).getCell(headers.indexOf(h) + 1).value = x as ExcelJS.CellValue;
        const col = headers.indexOf(d.header) + 1;
        ws.getRow(rowNo).getCell(col).value = d.value as ExcelJS.CellValue;
        const file = join(dir, `door-${inv.workbook!.indexOf(d)}-${INVARIANTS.indexOf(inv)}.xlsx`);
        writeFileSync(file, Buffer.from(await wb.xlsx.writeBuffer()));
        const ref = `${d.sheet}!${String.fromCharCode(64 + col)}${rowNo}`;
        const before = await journal.snapshot();
        const res = await cli(['import', file, '--as', workbookUser], t.env);
        const after = await journal.snapshot();
        const line = res.err
          .split('\n')
          .map((l) => l.trim().replace(/^- /, ''))
          .find((l) => l.startsWith(`${ref}: `));
        const said = line?.slice(ref.length + 2);
        want.push(`${inv.name} | workbook ${ref} = ${String(d.value)} → exit 2; ${ref}: ${d.says}; wrote nothing`);
        got.push(
          `${inv.name} | workbook ${ref} = ${String(d.value)} → exit ${res.code}; ${ref}: ${said !== undefined && d.says.test(said) ? d.says : (said ?? res.err.trim())}; ${after === before ? 'wrote nothing' : `wrote ${journal.changed(before, after).join(', ')}`}`,
        );
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
