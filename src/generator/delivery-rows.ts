import { quarterEnd, quarterStart, parseQuarter } from '../common/fiscal';
import { parsePounds } from '../common/money';
import type { DealSeed } from '../deal-loading/deal-seed.types';
import { parsePeriod } from '../funding/period';
import { apportion } from './plan';
import { Rng } from './prng';

/**
 * Pure: synthetic delivery rows for one generated programme (spend profile lines, milestones,
 * output targets and quarterly actuals), from its deal seed and its own PRNG stream. Rows are
 * arrays in the column order of the *_COLUMNS lists. Money is integer pence throughout: the
 * baseline of each project × source kind sums exactly to its allocations; actuals and
 * forecasts are integer fractions of the baseline (whole-number ratios, floor division).
 */

export const SPEND_COLUMNS = [
  'programme_id',
  'project_id',
  'source_kind',
  'quarter',
  'baseline_pence',
  'forecast_pence',
  'actual_pence',
  'illustrative',
  'updated_at',
];
export const MILESTONE_COLUMNS = [
  'programme_id',
  'project_id',
  'code',
  'kind',
  'title',
  'baseline_date',
  'forecast_date',
  'actual_date',
  'status',
  'date_interpreted',
  'source_document',
  'source_illustrative',
  'updated_at',
];
export const TARGET_COLUMNS = [
  'programme_id',
  'project_id',
  'metric_code',
  'target_value',
  'forecast_value',
  'source_document',
  'source_illustrative',
  'updated_at',
];
export const ACTUAL_COLUMNS = [
  'programme_id',
  'project_id',
  'metric_code',
  'quarter',
  'value',
  'claim_key',
  'illustrative',
  'recorded_by',
  'updated_at',
];

/**
 * Actuals exist up to and including this quarter of the plan: the programme's reporting quarter.
 * A generated programme has no submitted return, so its reporting quarter is its first; anything
 * recorded later (a spend actual, an output claim, a milestone's actual date) would be in the
 * future in programme time, which no door of the app accepts (an unchanged partner template
 * would be refused). The rest of the plan is baseline and forecast.
 */
export function actualsThroughIndex(_quarterCount: number): number {
  return 0;
}

const MILESTONES: { kind: string; title: string; at: 'before' | 'start' | 'end'; offsetDays: number }[] = [
  { kind: 'business_case', title: 'Full business case approved', at: 'start', offsetDays: -180 },
  { kind: 'planning', title: 'Planning permission granted', at: 'start', offsetDays: -100 },
  { kind: 'contract_award', title: 'Main contract let', at: 'start', offsetDays: -30 },
  { kind: 'start_on_site', title: 'Start on site', at: 'start', offsetDays: 10 },
  { kind: 'completion', title: 'Practical completion', at: 'end', offsetDays: 60 },
];

/** The three metrics a project of each theme reports. */
const THEME_METRICS: Record<string, string[]> = {
  SITES: ['SITE_AREA', 'JOBS_CREATED', 'FLOORSPACE'],
  TRANSPORT: ['ROAD_IMPROVED', 'ROAD_NEW', 'JOBS_SAFEGUARDED'],
  SKILLS: ['LEARNERS', 'APPRENTICES', 'LEARNING_FLOORSPACE'],
  INNOVATION: ['JOBS_CREATED', 'PRIVATE_INVESTMENT', 'FLOORSPACE'],
  HOUSING: ['HOMES_STARTED', 'HOMES_COMPLETED', 'JOBS_CREATED'],
  DIGITAL: ['JOBS_SAFEGUARDED', 'PRIVATE_INVESTMENT', 'JOBS_CREATED'],
  FLOOD: ['SITE_AREA', 'HOMES_COMPLETED', 'JOBS_SAFEGUARDED'],
  TOWNS: ['FLOORSPACE', 'JOBS_CREATED', 'PRIVATE_INVESTMENT'],
};

/** Target per £0.1m of LGF, in stored units (metres, m², hundredths of a hectare, pence). */
const PER_TENTH: Record<string, number> = {
  JOBS_CREATED: 4,
  JOBS_SAFEGUARDED: 3,
  HOMES_STARTED: 3,
  HOMES_COMPLETED: 2,
  FLOORSPACE: 120,
  SITE_AREA: 40,
  ROAD_NEW: 30,
  ROAD_IMPROVED: 90,
  LEARNERS: 25,
  APPRENTICES: 4,
  LEARNING_FLOORSPACE: 60,
  PRIVATE_INVESTMENT: 15_000_000,
};

export interface ProgrammeDeliveryInput {
  seed: DealSeed;
  programmeId: number;
  projectIds: Map<string, number>;
  /** The plan's quarter codes, from 2015-16 Q1. */
  quarters: string[];
  now: string;
}

interface Window {
  from: number;
  to: number;
}

const DAY = 86_400_000;
const REPORTS_BEFORE_DELIVERY = 4;
function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d) + days * DAY).toISOString().slice(0, 10);
}

/** Quarter indexes (into the plan) an allocation's period covers; unprofiled money goes in the project's delivery window. */
function periodWindow(period: string, quarters: string[], delivery: Window): Window {
  const p = parsePeriod(period);
  if (p.periodKind === 'unprofiled' || p.yearFrom === null) return delivery;
  const first = parseQuarter(quarters[0]).year;
  const lastYear = parseQuarter(quarters[quarters.length - 1]).year;
  const from = Math.max(0, (p.yearFrom - first) * 4);
  const to = Math.min(quarters.length - 1, ((p.yearTo ?? lastYear) - first) * 4 + 3);
  return from <= to ? { from, to } : delivery;
}

/** Exact integer share: floor(value × num / den), safe while value × num < 2^53. */
const share = (value: number, num: number, den: number) => Math.floor((value * num) / den);

export function spendRows(x: ProgrammeDeliveryInput, rng: Rng): unknown[][] {
  const n = x.quarters.length;
  const asAt = actualsThroughIndex(n);
  const rows: unknown[][] = [];
  const byProject = new Map<string, DealSeed['allocations']>();
  for (const a of x.seed.allocations) {
    if (!a.project || a.commitmentStatus === 'withdrawn') continue;
    const list = byProject.get(a.project) ?? [];
    list.push(a);
    byProject.set(a.project, list);
  }
  for (const p of x.seed.projects) {
    const allocs = byProject.get(p.code);
    if (!allocs) continue;
    const r = rng.fork(p.code);
    const start = r.int(0, Math.max(0, Math.floor(n * 0.6)));
    const delivery = { from: start, to: Math.min(n - 1, start + r.int(3, 15)) };
    const slip = r.chance(0.3) ? r.int(1, 3) : 0;
    const kinds = [...new Set(allocs.map((a) => a.sourceKind))].sort();
    for (const kind of kinds) {
      const baseline = new Array<number>(n).fill(0);
      for (const a of allocs.filter((y) => y.sourceKind === kind)) {
        const w = periodWindow(a.period, x.quarters, delivery);
        const parts = apportion(
          parsePounds(a.amount),
          Array.from({ length: w.to - w.from + 1 }, () => 1 + r.int(0, 4)),
        );
        parts.forEach((v, i) => (baseline[w.from + i] += v));
      }
      // The latest forecast: the baseline slipped `slip` quarters (same total, the tail kept in the last quarter).
      const forecast = new Array<number>(n).fill(0);
      baseline.forEach((v, i) => (forecast[Math.min(n - 1, i + slip)] += v));
      const projectId = x.projectIds.get(p.code)!;
      for (let q = 0; q < n; q++) {
        const actual = q <= asAt ? share(forecast[q], r.int(800, 1050), 1000) : null;
        rows.push([x.programmeId, projectId, kind, x.quarters[q], baseline[q], forecast[q], actual, true, x.now]);
      }
    }
  }
  return rows;
}

/** The delivery window of each project as spend placed it: first and last quarter with baseline. */
function deliveryWindows(spend: unknown[][]): Map<number, { fromCode: string; toCode: string }> {
  const out = new Map<number, { fromCode: string; toCode: string }>();
  for (const row of spend) {
    const pid = row[1] as number;
    const q = row[3] as string;
    if ((row[4] as number) <= 0) continue;
    const w = out.get(pid);
    if (!w) out.set(pid, { fromCode: q, toCode: q });
    else {
      if (q < w.fromCode) w.fromCode = q;
      if (q > w.toCode) w.toCode = q;
    }
  }
  return out;
}

export function milestoneRows(x: ProgrammeDeliveryInput, spend: unknown[][], rng: Rng): unknown[][] {
  const windows = deliveryWindows(spend);
  const asAtEnd = quarterEnd(parseQuarter(x.quarters[actualsThroughIndex(x.quarters.length)]));
  // A project's milestones lie inside the programme (the milestones' own rule): a step planned
  // before it starts or after it ends is held at its first or last day (order is kept).
  const { startsOn, endsOn } = x.seed.programme;
  const inside = (d: string) => (d < startsOn ? startsOn : d > endsOn ? endsOn : d);
  const doc = `Synthetic national dataset: illustrative milestones`;
  const rows: unknown[][] = [];
  for (const p of x.seed.projects) {
    const pid = x.projectIds.get(p.code)!;
    const w = windows.get(pid);
    if (!w) continue;
    const r = rng.fork(p.code);
    const startDate = quarterStart(parseQuarter(w.fromCode));
    const endDate = quarterStart(parseQuarter(w.toCode));
    const lateness = r.weighted({ none: 0.6, some: 0.25, late: 0.15 });
    const slip = lateness === 'none' ? 0 : lateness === 'some' ? r.int(1, 60) : r.int(91, 200);
    MILESTONES.forEach((ms, i) => {
      const planned = addDays(ms.at === 'end' ? endDate : startDate, ms.offsetDays);
      const baseline = inside(planned);
      // Slippage grows along the project: early steps slip less.
      const forecast = inside(addDays(planned, Math.floor((slip * (i + 1)) / MILESTONES.length)));
      const actual = forecast <= asAtEnd ? forecast : null;
      rows.push([
        x.programmeId,
        pid,
        `${p.code}-M${i + 1}`,
        ms.kind,
        ms.title,
        baseline,
        forecast,
        actual,
        actual ? 'complete' : 'open',
        false,
        doc,
        true,
        x.now,
      ]);
    });
  }
  return rows;
}

export function outputRows(
  x: ProgrammeDeliveryInput,
  spend: unknown[][],
  rng: Rng,
): { targets: unknown[][]; actuals: unknown[][] } {
  const windows = deliveryWindows(spend);
  const asAt = actualsThroughIndex(x.quarters.length);
  const lgfTenths = new Map<string, number>();
  for (const a of x.seed.allocations)
    if (a.project && a.sourceKind.startsWith('LGF') && a.commitmentStatus !== 'withdrawn')
      lgfTenths.set(a.project, (lgfTenths.get(a.project) ?? 0) + parsePounds(a.amount) / 10_000_000);
  const doc = `Synthetic national dataset: illustrative outputs`;
  const targets: unknown[][] = [];
  const actuals: unknown[][] = [];
  for (const p of x.seed.projects) {
    const pid = x.projectIds.get(p.code)!;
    const w = windows.get(pid);
    const tenths = lgfTenths.get(p.code);
    if (!w || !tenths) continue;
    const r = rng.fork(p.code);
    const menu = THEME_METRICS[p.theme ?? ''] ?? THEME_METRICS.SITES;
    const metrics = menu;
    const from = x.quarters.indexOf(w.fromCode);
    const to = x.quarters.indexOf(w.toCode);
    for (const metric of metrics) {
      const target = Math.max(1, Math.floor((tenths * PER_TENTH[metric] * r.int(5, 15)) / 10));
      const forecast = share(target, r.int(700, 1150), 1000);
      targets.push([x.programmeId, pid, metric, target, forecast, doc, true, x.now]);
      // Outputs arrive over the delivery window; the project reports every quarter from a year
      // before delivery starts (its approval), zero until they arrive.
      const spread = apportion(
        forecast,
        Array.from({ length: to - from + 1 }, (_, i) => 1 + i),
      );
      for (let q = Math.max(0, from - REPORTS_BEFORE_DELIVERY); q <= asAt; q++) {
        const v = q >= from && q <= to ? spread[q - from] : 0;
        actuals.push([
          x.programmeId,
          pid,
          metric,
          x.quarters[q],
          v,
          `${x.seed.programme.code}/${p.code}/${metric}`.toUpperCase(),
          true,
          'generator',
          x.now,
        ]);
      }
    }
  }
  return { targets, actuals };
}
