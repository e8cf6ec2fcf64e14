import { Role } from '../../src/auth/roles.decorator';

/**
 * The invariant table of test/invariant-doors.e2e-spec.ts: each invariant with every door (API
 * route, CLI command, staff form, partner workbook cell) that can carry its field, the violation
 * each is sent and the refusal it must give; and the staff forms that carry no such field.
 */
export interface Door {
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
export interface WebDoor {
  route: string;
  form: (c: WebContext) => Record<string, string>;
  roles: Role[];
  /** The form field the error summary links to. */
  field: (c: WebContext) => string;
  says: (c: WebContext) => RegExp;
}
export interface WebContext {
  /** An open ETRURIA milestone as the API shows it. */
  milestone: { id: number; title: string; forecastDate: string | null; notes: string | null };
}
/**
 * A cell of the partner update workbook (the `template` written for ETRURIA's reporting
 * quarter, edited, then `import`ed by the CLI as a programme manager of ETRURIA): the import is
 * refused (exit 2) naming the cell, and nothing is written.
 */
export interface WorkbookDoor {
  sheet: 'Spend' | 'Milestones' | 'Outputs';
  /** Which row to edit (by its other cells, as header → value). */
  row?: (cells: Record<string, unknown>, c: WebContext) => boolean;
  /** Or: a row added after the last one, with these cells (header → value) besides `header`. */
  add?: Record<string, unknown>;
  header: string;
  value: unknown;
  says: RegExp;
}
export interface Invariant {
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
export interface Versions {
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
export interface Files {
  closedQuarterCsv: string;
  hugeCsv: string;
}

export const CLOSED = '2015-16 Q1';
export const OVER_MAX = '1000000000.01';

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
export const CLAIM_ROUTE = 'POST /api/programmes/:code/projects/:project/outputs/:metric/actuals';
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

export const INVARIANTS: Invariant[] = [
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
export const WEB_NOT_DOORS: Record<string, string> = {
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
