import { formatQuarter, parseQuarter, quarterEnd, quarterFromIndex, quarterIndex } from '../common/fiscal';
import { formatPounds } from '../common/money';
import type { DealSeed } from '../deal-loading/deal-seed.types';
import { returnDueDate } from '../periods/programme-clock';
import { Rng } from './prng';
import { AREA_WORDS, PLACE_PARTS, PROGRAMME_KINDS, SCHEME_KINDS, THEME_LIBRARY } from './vocabulary';

export interface GeneratorParams {
  leps: number;
  projects: number;
  quarters: number;
  seed: number;
}

/** What a generated headline is meant to show, so tests can check the engine agrees. */
/** `measured`: compared with the generated output actuals (met or not met, whichever they add up to). */
export type Expectation = 'agrees' | 'unreconciled' | 'met' | 'measured' | 'not_comparable';

export interface NationalPlan {
  params: GeneratorParams;
  name: string;
  /** Quarter codes from 2015-16 Q1: delivery rows (spend, milestones, outputs) are generated per project × quarter. */
  quarters: string[];
  seeds: DealSeed[];
  expectations: { programme: string; headline: string; expect: Expectation }[];
}

export const FIRST_QUARTER = '2015-16 Q1';
const TENTH = 10_000_000; // £0.1m in pence
const MILLION = 100_000_000;
const LGF_KINDS = ['LGF', 'LGF_PRECOMMITTED', 'LGF_PROVISIONAL'];

export function datasetName(p: GeneratorParams): string {
  return `synthetic-l${p.leps}-p${p.projects}-q${p.quarters}-s${p.seed}`;
}

/** Splits `total` into `n` parts proportional to weights (largest remainder), each at least `min`. */
export function apportion(total: number, weights: number[], min = 0): number[] {
  const n = weights.length;
  const floor = Math.min(min, Math.floor(total / Math.max(1, n)));
  const rest = total - floor * n;
  const sum = weights.reduce((s, w) => s + w, 0);
  const raw = weights.map((w) => (rest * w) / sum);
  const out = raw.map((r) => Math.floor(r));
  let left = rest - out.reduce((s, x) => s + x, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0; k = (k + 1) % n, left--) out[order[k][1]]++;
  return out.map((x) => x + floor);
}

function placeName(rng: Rng): string {
  return `${rng.pick(PLACE_PARTS.start)}${rng.pick(PLACE_PARTS.end)}`;
}

/** Log-normal-ish sizes in whole £0.1m steps: median about £1.8m, long right tail, capped at £60m. */
function lgfTenths(rng: Rng): number {
  return Math.min(600, Math.max(1, Math.round(Math.exp(Math.log(18) + 0.9 * rng.normal()))));
}

function printedMillions(pence: number, places: number): string {
  return `£${(pence / MILLION).toFixed(places)}m`; // display only; the stored figure is integer pence
}

/**
 * The whole national dataset as deal seeds (the same shape as seeds/*.json), built from the
 * seed alone. Pure: no database, no clock, no Math.random.
 */
export function planNational(params: GeneratorParams): NationalPlan {
  const { leps, projects, quarters, seed } = params;
  if (!(leps >= 1 && projects >= 1 && quarters >= 1)) throw new Error('leps, projects and quarters must be at least 1');
  const root = new Rng(seed);
  const first = parseQuarter(FIRST_QUARTER);
  const quarterCodes = Array.from({ length: quarters }, (_, i) =>
    formatQuarter(quarterFromIndex(quarterIndex(first) + i)),
  );
  const last = parseQuarter(quarterCodes[quarterCodes.length - 1]);
  const lastYear = Math.max(first.year, last.year);
  const doc = `Synthetic national dataset (generator seed ${seed})`;

  // Project counts per LEP are skewed: a few large LEPs, many small ones.
  const sizeRng = root.fork('sizes');
  const perLep = apportion(
    projects,
    Array.from({ length: leps }, () => Math.exp(0.8 * sizeRng.normal())),
    projects >= leps ? 1 : 0,
  );
  const seeds: DealSeed[] = [];
  const expectations: NationalPlan['expectations'] = [];

  for (let l = 0; l < leps; l++) {
    if (perLep[l] === 0) continue;
    const rng = root.fork(`lep-${l}`);
    const lepCode = `SYN${seed}-L${String(l + 1).padStart(2, '0')}`;
    const area = `${placeName(rng)} ${rng.pick(AREA_WORDS)}`;
    const councils = Array.from({ length: rng.int(2, 6) }, (_, i) => ({
      code: `${lepCode}-C${i + 1}`,
      name: `${placeName(rng)} Council`,
      kind: 'council',
    }));
    const others = [
      { code: `${lepCode}-UNI`, name: `University of ${area}`, kind: 'university' },
      { code: `${lepCode}-DEV1`, name: `${placeName(rng)} Developments Ltd`, kind: 'private' },
      { code: `${lepCode}-DEV2`, name: `${placeName(rng)} Estates Ltd`, kind: 'private' },
    ];
    const orgs = [
      { code: lepCode, name: `${area} Local Enterprise Partnership (synthetic)`, kind: 'lep' },
      ...councils,
      ...others,
    ];
    const nProg = Math.min(perLep[l], Number(rng.weighted({ 1: 0.5, 2: 0.35, 3: 0.15 })));
    const perProg = apportion(
      perLep[l],
      Array.from({ length: nProg }, (_, i) => (i === 0 ? 2 : 1) * (0.5 + rng.next())),
      1,
    );
    for (let g = 0; g < nProg; g++) {
      const prog = planProgramme(rng.fork(`prog-${g}`), {
        forceWrong: seeds.length === 1,
        lepCode,
        area,
        orgs,
        councils,
        others,
        index: g,
        projects: perProg[g],
        lastYear,
        doc,
        seed,
        endsOn: quarterEnd(last),
      });
      seeds.push(prog.seed);
      expectations.push(...prog.expectations);
    }
  }
  return { params, name: datasetName(params), quarters: quarterCodes, seeds, expectations };
}

interface ProgrammeInput {
  /** At least one deliberate discrepancy in every dataset (the second programme's LGF total). */
  forceWrong: boolean;
  lepCode: string;
  area: string;
  orgs: { code: string; name: string; kind: string }[];
  councils: { code: string }[];
  others: { code: string }[];
  index: number;
  projects: number;
  lastYear: number;
  doc: string;
  seed: number;
  endsOn: string;
}

function planProgramme(rng: Rng, x: ProgrammeInput): { seed: DealSeed; expectations: NationalPlan['expectations'] } {
  const code = `${x.lepCode}-GD${x.index + 1}`;
  const name = `${x.area} ${PROGRAMME_KINDS[x.index % PROGRAMME_KINDS.length]} (synthetic)`;
  const src = (section: string, quote: string, printed?: string) => ({
    document: x.doc,
    section,
    quote,
    ...(printed ? { printed } : {}),
  });
  const themeCount = Math.min(THEME_LIBRARY.length, rng.int(2, 5));
  const themes = [...THEME_LIBRARY];
  for (let i = themes.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [themes[i], themes[j]] = [themes[j], themes[i]];
  }
  const chosen = themes.slice(0, themeCount);
  const firstYear = 2015;
  const maxYear = Math.min(x.lastYear, 2020);
  const fy = (y: number) => `${y}-${String((y + 1) % 100).padStart(2, '0')}`;

  const projects: DealSeed['projects'] = [];
  const allocations: DealSeed['allocations'] = [];
  const lgfByTheme = new Map<string, number>();
  let lgf = 0;
  let match = 0;
  let live = 0;
  for (let i = 0; i < x.projects; i++) {
    const theme = chosen[i < chosen.length ? i : rng.int(0, chosen.length - 1)];
    const pcode = `P${String(i + 1).padStart(4, '0')}`;
    const status = rng.weighted({ approved: 0.45, in_delivery: 0.35, complete: 0.1, pipeline: 0.07, withdrawn: 0.03 });
    const lead = rng.chance(0.7) ? rng.pick(x.councils).code : rng.pick(x.others).code;
    projects.push({
      code: pcode,
      name: `${placeName(rng)} ${rng.pick(SCHEME_KINDS[theme.code])}`,
      theme: theme.code,
      location: placeName(rng),
      status,
      leadBody: lead,
      description: null,
    });
    if (status !== 'withdrawn') live++;
    const kind = rng.weighted({ LGF: 0.75, LGF_PRECOMMITTED: 0.1, LGF_PROVISIONAL: 0.15 });
    const tenths = lgfTenths(rng);
    const commitment =
      status === 'withdrawn'
        ? 'withdrawn'
        : kind === 'LGF_PROVISIONAL'
          ? 'provisional'
          : rng.weighted({ confirmed: 0.8, provisional: 0.08, indicative: 0.12 });
    const period = (): string => {
      const k = rng.weighted({ unprofiled: 0.5, year: 0.3, range: 0.2 });
      const y = rng.int(firstYear, maxYear);
      if (k === 'unprofiled') return 'unprofiled';
      if (k === 'year' || y >= maxYear) return fy(y);
      return rng.chance(0.15) ? `${fy(y)}..` : `${fy(y)}..${fy(rng.int(y + 1, Math.min(maxYear, y + 3)))}`;
    };
    allocations.push({
      ref: `${pcode}-${kind}`,
      sourceKind: kind,
      project: pcode,
      period: period(),
      amount: formatPounds(tenths * TENTH),
      commitmentStatus: commitment,
    });
    if (commitment !== 'withdrawn') {
      lgf += tenths * TENTH;
      lgfByTheme.set(theme.code, (lgfByTheme.get(theme.code) ?? 0) + tenths * TENTH);
    }
    for (const [mk, p] of [
      ['LOCAL_MATCH', 0.55],
      ['PRIVATE_MATCH', 0.25],
    ] as const) {
      if (!rng.chance(p)) continue;
      const mt = Math.max(1, Math.round(tenths * (0.2 + 0.8 * rng.next())));
      allocations.push({
        ref: `${pcode}-${mk}`,
        sourceKind: mk,
        project: pcode,
        period: period(),
        amount: formatPounds(mt * TENTH),
        commitmentStatus: status === 'withdrawn' ? 'withdrawn' : rng.weighted({ confirmed: 0.7, indicative: 0.3 }),
      });
      if (status !== 'withdrawn') match += mt * TENTH;
    }
  }

  // Pools: private match committed to a group of projects without a split.
  const pools: NonNullable<DealSeed['pools']> = [];
  const poolCount = x.projects >= 4 && rng.chance(0.5) ? rng.int(1, 2) : 0;
  for (let k = 0; k < poolCount; k++) {
    const size = rng.int(2, Math.min(5, x.projects));
    const start = rng.int(0, x.projects - size);
    const members = projects.slice(start, start + size).map((p) => p.code);
    const pcode = `POOL${k + 1}`;
    pools.push({
      code: pcode,
      name: `Private investment in ${x.area} schemes ${k + 1}`,
      theme: projects[start].theme,
      projects: [...new Set(members)],
    });
    const tenths = rng.int(5, 120);
    allocations.push({
      ref: `${pcode}-PRIVATE_MATCH`,
      sourceKind: 'PRIVATE_MATCH',
      pool: pcode,
      period: 'unprofiled',
      amount: formatPounds(tenths * TENTH),
      commitmentStatus: 'indicative',
    });
    match += tenths * TENTH;
  }
  // A programme-level revenue grant (outside the capital totals), like the growth hub's £250,000.
  if (rng.chance(0.6))
    allocations.push({
      ref: 'GROWTH-HUB',
      sourceKind: 'REVENUE_GRANT',
      period: fy(firstYear),
      amount: formatPounds(25_000_000),
      commitmentStatus: 'confirmed',
      description: 'Growth hub revenue grant',
    });

  const headlines: DealSeed['headlines'] = [];
  const expectations: NationalPlan['expectations'] = [];
  const expect = (h: string, e: Expectation) => expectations.push({ programme: code, headline: h, expect: e });
  // The LGF total: mostly stated to £0.1m and agreeing; some rough (£1m); a few deliberately wrong.
  const wrong = rng.chance(0.08) || x.forceWrong;
  const rough = !wrong && rng.chance(0.15);
  const shift = wrong ? (rng.chance(0.5) ? -1 : 1) * rng.int(2, 15) * TENTH : 0;
  const unit = rough ? MILLION : TENTH;
  const lgfStated = Math.max(0, Math.round(lgf / unit) * unit + shift);
  const lgfPrinted = printedMillions(lgfStated, rough ? 0 : 1);
  headlines.push({
    code: 'LGF-TOTAL',
    measure: 'LGF_TOTAL',
    label: 'Local Growth Fund for the programme',
    qualifier: rough ? 'about' : 'exact',
    unit: 'pounds',
    amount: formatPounds(lgfStated),
    precision: formatPounds(unit),
    rule: { allocations: { sourceKinds: LGF_KINDS } },
    ...(wrong
      ? {
          notes: `Synthetic: stated ${shift > 0 ? 'above' : 'below'} the allocations on purpose (${printedMillions(Math.abs(shift), 1)}).`,
        }
      : {}),
    source: src(name, `Local Growth Fund of ${lgfPrinted}`, lgfPrinted),
  });
  expect('LGF-TOTAL', wrong && lgfStated !== lgf ? 'unreconciled' : 'agrees');
  for (const t of chosen) {
    const v = lgfByTheme.get(t.code) ?? 0;
    const printed = printedMillions(v, 1);
    headlines.push({
      code: `LGF-${t.code}`,
      measure: `LGF_THEME_${t.code}`,
      label: `Local Growth Fund: ${t.name}`,
      qualifier: 'exact',
      unit: 'pounds',
      amount: formatPounds(v),
      precision: formatPounds(TENTH),
      rule: { allocations: { sourceKinds: LGF_KINDS, themes: [t.code] } },
      source: src(name, `${t.name}: ${printed}`, printed),
    });
    expect(`LGF-${t.code}`, 'agrees');
  }
  if (match >= MILLION) {
    const stated = Math.floor(match / MILLION) * MILLION;
    const printed = printedMillions(stated, 0);
    headlines.push({
      code: 'MATCH',
      measure: 'MATCH_TOTAL',
      label: 'Local and private match funding',
      qualifier: 'at_least',
      unit: 'pounds',
      amount: formatPounds(stated),
      precision: formatPounds(MILLION),
      rule: { allocations: { sourceKinds: ['LOCAL_MATCH', 'PRIVATE_MATCH'] } },
      source: src(name, `at least ${printed} of match funding`, printed),
    });
    expect('MATCH', 'met');
    const pkg = lgfStated + stated;
    const pp = printedMillions(pkg, 1);
    headlines.push({
      code: 'PACKAGE',
      measure: 'PACKAGE_TOTAL',
      label: 'Total package',
      qualifier: 'exact',
      unit: 'pounds',
      amount: formatPounds(pkg),
      precision: formatPounds(TENTH),
      rule: { sumOf: ['LGF-TOTAL', 'MATCH'] },
      source: src(name, `a total package of ${pp}`, pp),
    });
    expect('PACKAGE', 'agrees');
  }
  headlines.push({
    code: 'PROJECTS',
    measure: 'PROJECT_COUNT',
    label: 'Projects in the programme',
    qualifier: 'exact',
    unit: 'projects',
    value: live,
    precision: 1,
    rule: { count: { of: 'projects' } },
    source: src(name, `${live} projects`, String(live)),
  });
  expect('PROJECTS', 'agrees');
  const jobs = Math.max(100, Math.round((lgf / MILLION) * 0.4) * 100);
  headlines.push({
    code: 'JOBS',
    measure: 'JOBS',
    label: 'Jobs created by 2021',
    qualifier: 'at_least',
    unit: 'jobs',
    value: jobs,
    precision: 100,
    rule: { outputs: { metrics: ['JOBS_CREATED'] } },
    source: src(name, `at least ${jobs.toLocaleString('en-GB')} jobs`, jobs.toLocaleString('en-GB')),
  });
  // Delivered means "to the end of the last submitted quarter" (one jobs number, DESIGN.md's
  // 2026-12 clarifications), and generated programmes have no submitted return: their recorded
  // jobs are not yet delivered, so the headline cannot be compared yet.
  expect('JOBS', 'not_comparable');

  const seedDoc: DealSeed = {
    name: `synthetic-s${x.seed}-${code.toLowerCase()}`,
    illustrative: true,
    programme: {
      code,
      name,
      description: `Synthetic programme generated for scale testing (seed ${x.seed}); not a real deal.`,
      lep: x.lepCode,
      startsOn: '2015-04-01',
      endsOn: x.endsOn,
      firstQuarter: FIRST_QUARTER,
      // It stands where its data stands: at its reporting quarter, on that return's due date
      // (as the demo does), so the return is due, not overdue.
      asOfDate: returnDueDate(FIRST_QUARTER),
      synthetic: true,
    },
    organisations: x.orgs,
    themes: chosen.map((t) => ({ code: t.code, name: t.name })),
    projects,
    pools,
    allocations,
    headlines,
  };
  return { seed: seedDoc, expectations };
}
