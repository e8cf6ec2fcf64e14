import fc from 'fast-check';
import { addQuarters, formatFiscalYear, formatQuarter, parseQuarter, quarterUrl } from '../src/common/fiscal';
import { databaseKinds } from './support/databases';
import { RequestFn, startTestApp, TestApp } from './support/test-app';

/**
 * Issue 14's property ("Done when"): any random bounded sequence of valid approved changes
 * (reallocate, reprofile_spend, reprofile_years, withdraw, hold/reinstate, complete,
 * reduce_allocation in both modes, add_project, set_baseline, a repayment) interleaved with quarters closed by
 * their returns leaves, after every step:
 * - baseline = approved allocation per project and source;
 * - every envelope at or above its approved allocations;
 * - spent money never released: no project's allocation below its spend to date, and spend to
 *   date equal to the actuals entered less the repayments recorded;
 * - the next return free of errors caused by the changes (a missing actual for the reporting
 *   quarter is the user's to enter): every run ends by entering that quarter's actuals and
 *   submitting its return, which must have no error.
 *
 * Each run is a new programme entered through the API on one real database (the real services,
 * HTTP through Fastify's inject). Steps are abstract (which project, what share); each is turned
 * into a valid payload against the figures read at that moment, or skipped when none applies.
 * numRuns keeps the spec under 60 s per database on a loaded 2-core machine. The first run of
 * each is EVERY_KIND (about four random runs' worth of steps), so every kind is exercised on both
 * databases; PostgreSQL, whose part is the database's own behaviour, then does one random run.
 */
const RUNS: Record<string, number> = { sqlite: 10, postgres: 2 };
const MAX_STEPS = 8;
const FIRST = '2015-16 Q1';
const QUARTERS = Array.from({ length: 12 }, (_, i) => formatQuarter(addQuarters(parseQuarter(FIRST), i)));

const pounds = (pence: number) => `${pence < 0 ? '-' : ''}${(Math.abs(pence) / 100).toFixed(2)}`;
const pence = (s: string | null | undefined) => (s ? Math.round(Number(s) * 100) : 0);
const share = (total: number, permille: number) => Math.floor((total * permille) / 1000);

type Step =
  | { kind: 'reallocate'; from: number; to: number; permille: number }
  | { kind: 'release'; from: number; permille: number }
  | { kind: 'draw'; to: number; permille: number }
  | { kind: 'reprofile_spend'; project: number; permille: number; from: number; to: number }
  | { kind: 'reprofile_years'; project: number; permille: number; year: number }
  | { kind: 'withdraw'; project: number }
  | { kind: 'hold'; project: number; alias: boolean }
  | { kind: 'reinstate'; project: number }
  | { kind: 'complete'; project: number }
  | { kind: 'reduce'; project: number; permille: number; mode: 'release' | 'reduce_envelope' }
  | { kind: 'add_project'; permille: number }
  | { kind: 'set_baseline'; project: number; tilt: number }
  | { kind: 'repayment'; project: number; permille: number }
  | { kind: 'quarter' };

const idx = fc.nat({ max: 7 });
const permille = fc.integer({ min: 1, max: 1000 });
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('reallocate' as const), from: idx, to: idx, permille }),
  fc.record({ kind: fc.constant('release' as const), from: idx, permille }),
  fc.record({ kind: fc.constant('draw' as const), to: idx, permille }),
  fc.record({ kind: fc.constant('reprofile_spend' as const), project: idx, permille, from: idx, to: idx }),
  fc.record({ kind: fc.constant('reprofile_years' as const), project: idx, permille, year: idx }),
  fc.record({ kind: fc.constant('withdraw' as const), project: idx }),
  fc.record({ kind: fc.constant('hold' as const), project: idx, alias: fc.boolean() }),
  fc.record({ kind: fc.constant('reinstate' as const), project: idx }),
  fc.record({ kind: fc.constant('complete' as const), project: idx }),
  fc.record({
    kind: fc.constant('reduce' as const),
    project: idx,
    permille,
    mode: fc.constantFrom('release' as const, 'reduce_envelope' as const),
  }),
  fc.record({ kind: fc.constant('add_project' as const), permille }),
  fc.record({ kind: fc.constant('set_baseline' as const), project: idx, tilt: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ kind: fc.constant('repayment' as const), project: idx, permille }),
  fc.constant({ kind: 'quarter' as const }),
);

/**
 * One sequence that reaches every kind (each step applies against the three-project deal), run
 * first as one of the runs, so "every kind was exercised" holds whatever the random draws are.
 */
const EVERY_KIND: Step[] = [
  { kind: 'reallocate', from: 0, to: 0, permille: 100 },
  { kind: 'release', from: 1, permille: 100 },
  { kind: 'draw', to: 2, permille: 500 },
  { kind: 'reprofile_spend', project: 0, permille: 200, from: 0, to: 1 },
  { kind: 'quarter' },
  { kind: 'reprofile_years', project: 1, permille: 400, year: 0 },
  { kind: 'reduce', project: 0, permille: 100, mode: 'release' },
  { kind: 'reduce', project: 1, permille: 100, mode: 'reduce_envelope' },
  { kind: 'hold', project: 0, alias: false },
  { kind: 'reinstate', project: 0 },
  { kind: 'hold', project: 1, alias: true },
  { kind: 'complete', project: 2 },
  { kind: 'withdraw', project: 0 },
  { kind: 'add_project', permille: 500 },
  { kind: 'set_baseline', project: 0, tilt: 0 },
  { kind: 'repayment', project: 0, permille: 100 },
];
/**
 * Kinds the steps leave out, each with its reason: the property is about money, and these move
 * dates and output targets, not money (change-requests-delivery.e2e-spec.ts walks them).
 */
const NOT_MONEY = ['rebaseline_milestone', 'rebaseline_target'];

interface ProfileRow {
  quarter: string;
  baseline: string;
  forecast: string;
  actual: string | null;
  version: number;
  sourceKind: string;
}
interface ProjectState {
  code: string;
  status: string;
  allocation: number;
  baselineTotal: number;
  spendToDate: number;
  profile: ProfileRow[];
  allocations: { id: number; amount: number; period: string }[];
}

describe.each(databaseKinds())('any sequence of approved changes keeps the figures whole on %s', (kind) => {
  let t: TestApp;
  let finance: RequestFn;
  let programmes = 0;
  const applied: Record<string, number> = {};
  const reduceModes = new Set<string>();
  beforeAll(async () => {
    t = await startTestApp(kind, { SEED_ON_START: 'false' });
    finance = await t.as('finance');
  });
  afterAll(async () => t?.close());

  it('holds baseline = allocation, envelope >= approved, spent money kept, next return without errors', async () => {
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: MAX_STEPS }), async (steps) => {
        const code = `PROP-${++programmes}`;
        const P = `/api/programmes/${code}`;
        let current = 0; // index of the reporting quarter in QUARTERS
        const entered = new Map<string, number>(); // actuals entered less repayments, per project

        async function change(kind: string, payload: unknown) {
          const d = await finance('POST', `${P}/change-requests`, { kind, title: kind, reason: 'property', payload });
          expect([kind, d.status, d.body.message, payload]).toEqual([kind, 201, undefined, payload]);
          const s = await finance('POST', `${P}/change-requests/${d.body.number}/submit`, {});
          expect([kind, s.status, s.body.message]).toEqual([kind, 200, undefined]);
          const a = await t.request('POST', `${P}/change-requests/${d.body.number}/approve`, {});
          expect([kind, a.status, a.body.message, payload]).toEqual([kind, 200, undefined, payload]);
          applied[kind] = (applied[kind] ?? 0) + 1;
        }
        const profile = (from: number, n: number, total: number) =>
          Array.from({ length: n }, (_, i) => ({
            quarter: QUARTERS[from + i],
            amount: pounds(i === n - 1 ? total - Math.floor(total / n) * (n - 1) : Math.floor(total / n)),
          }));

        async function state(): Promise<{ projects: ProjectState[]; headroom: number }> {
          const allocs = (await t.request('GET', `${P}/allocations?limit=500`)).body.items as {
            id: number;
            project: string | null;
            amount: string;
            period: string;
            commitmentStatus: string;
            sourceKind: string;
          }[];
          const codes = [...new Set(allocs.flatMap((a) => (a.project ? [a.project] : [])))].sort();
          const projects: ProjectState[] = [];
          for (const c of codes) {
            const s = (await t.request('GET', `${P}/projects/${c}/spend`)).body;
            const line = s.lines.find((l: { sourceKind: string }) => l.sourceKind === 'LGF');
            const status = (await t.request('GET', `${P}/projects/${c}`)).body.status as string;
            projects.push({
              code: c,
              status,
              allocation: pence(line?.allocation),
              baselineTotal: pence(line?.baselineTotal),
              spendToDate: pence(line?.spendToDate),
              profile: (s.profile as ProfileRow[]).filter((r) => r.sourceKind === 'LGF'),
              allocations: allocs
                .filter((a) => a.project === c && a.sourceKind === 'LGF' && a.commitmentStatus !== 'withdrawn')
                .map((a) => ({ id: a.id, amount: pence(a.amount), period: a.period }))
                .sort((a, b) => b.amount - a.amount || a.id - b.id),
            });
          }
          const env = (await t.request('GET', `${P}/envelope`)).body.items as {
            sourceKind: string;
            envelope: string;
            approved: string;
            headroom: string;
          }[];
          // Invariant: every envelope at or above its approved allocations.
          for (const e of env) expect([code, e.sourceKind, pence(e.headroom) >= 0]).toEqual([code, e.sourceKind, true]);
          const lgf = env.find((e) => e.sourceKind === 'LGF');
          return { projects, headroom: pence(lgf?.headroom) };
        }

        async function invariants() {
          const now = await state();
          const { projects } = now;
          for (const p of projects) {
            // Baseline = approved allocation; spent money stays allocated; spend is what was entered.
            expect([code, p.code, p.baselineTotal]).toEqual([code, p.code, p.allocation]);
            expect([code, p.code, p.allocation >= p.spendToDate]).toEqual([code, p.code, true]);
            expect([code, p.code, p.spendToDate]).toEqual([code, p.code, entered.get(p.code) ?? 0]);
          }
          const r = await t.request('GET', `${P}/returns/${quarterUrl(QUARTERS[current])}`);
          const errors = (r.body.return.checks as { code: string; severity: string; message: string }[]).filter(
            (c) => c.severity === 'error' && c.code !== 'MISSING_ACTUAL',
          );
          expect([code, QUARTERS[current], errors]).toEqual([code, QUARTERS[current], []]);
          return now;
        }

        /** Enters the reporting quarter's actuals (= its forecasts) and submits its return. */
        async function closeQuarter() {
          if (current >= QUARTERS.length - 1) return;
          const q = QUARTERS[current];
          for (const p of (await state()).projects) {
            const row = p.profile.find((r) => r.quarter === q);
            if (!row || (pence(row.forecast) === 0 && pence(row.baseline) === 0)) continue;
            const amount = Math.max(0, Math.min(pence(row.forecast), p.allocation - p.spendToDate));
            const a = await t.request('PUT', `${P}/projects/${p.code}/spend/actual`, {
              sourceKind: 'LGF',
              quarter: q,
              actual: pounds(amount),
              version: row.version,
            });
            expect([code, q, p.code, a.status, a.body.message]).toEqual([code, q, p.code, 200, undefined]);
            entered.set(p.code, (entered.get(p.code) ?? 0) + amount);
          }
          const draft = await t.request('GET', `${P}/returns/${quarterUrl(q)}`);
          const checks = draft.body.return.checks as { code: string; severity: string }[];
          expect([code, q, checks.filter((c) => c.severity === 'error')]).toEqual([code, q, []]);
          const comments = Object.fromEntries(
            checks.filter((c) => c.severity === 'warning').map((c) => [c.code, 'explained']),
          );
          const sub = await t.request('POST', `${P}/returns/${quarterUrl(q)}/submit`, { comments });
          expect([code, q, sub.status, sub.body.message]).toEqual([code, q, 201, undefined]);
          current++;
          applied.quarter = (applied.quarter ?? 0) + 1;
        }

        // The deal: an envelope with headroom, three projects with baselines, one quarter spent.
        const prog = await t.request('POST', '/api/programmes', {
          code,
          name: `Property programme ${code}`,
          startsOn: '2015-04-01',
          endsOn: '2018-03-31',
          firstQuarter: FIRST,
        });
        expect(prog.status).toBe(201);
        await change('envelope_change', { sourceKind: 'LGF', delta: '12000000.00' });
        let added = 0;
        const addProject = (amount: number, from: number, n: number) =>
          change('add_project', {
            code: `P${++added}`,
            name: `Project ${added}`,
            status: 'in_delivery',
            allocations: [
              {
                sourceKind: 'LGF',
                period: 'unprofiled',
                amount: pounds(amount),
                commitmentStatus: 'confirmed',
                baseline: profile(from, n, amount),
              },
            ],
          });
        await addProject(400_000_000, 0, 8);
        await addProject(300_000_000, 1, 8);
        await addProject(200_000_000, 0, 6);
        await closeQuarter();
        let now = await invariants();

        for (const step of steps) {
          const { projects, headroom } = now;
          const live = projects.filter((p) => p.status !== 'withdrawn');
          const pick = <T>(xs: T[], i: number) => (xs.length ? xs[i % xs.length] : undefined);
          const open = (p: ProjectState) =>
            p.profile.filter((r) => QUARTERS.indexOf(r.quarter) >= current).reduce((s, r) => s + pence(r.baseline), 0);
          // The most a line can lose: its unspent money, and no more than its open quarters hold.
          const maxCut = (p: ProjectState) =>
            Math.min(p.allocation - p.spendToDate, open(p), p.allocations[0]?.amount ?? 0);
          switch (step.kind) {
            case 'reallocate': {
              const from = pick(live, step.from);
              const to = pick(
                live.filter((p) => p !== from),
                step.to,
              );
              const amount = from ? share(maxCut(from), step.permille) : 0;
              if (!from || !to || amount <= 0) break;
              await change('reallocation', {
                lines: [
                  { allocationId: from.allocations[0].id, delta: pounds(-amount) },
                  { allocationId: to.allocations[0].id, delta: pounds(amount) },
                ],
              });
              break;
            }
            case 'release': {
              const from = pick(live, step.from);
              const amount = from ? share(maxCut(from), step.permille) : 0;
              if (!from || amount <= 0) break;
              await change('reallocation', {
                lines: [{ allocationId: from.allocations[0].id, delta: pounds(-amount) }],
              });
              break;
            }
            case 'draw': {
              const to = pick(
                live.filter((p) => p.allocations.length),
                step.to,
              );
              const amount = share(headroom, step.permille);
              if (!to || amount <= 0) break;
              await change('reallocation', { lines: [{ allocationId: to.allocations[0].id, delta: pounds(amount) }] });
              break;
            }
            case 'reprofile_spend': {
              const p = pick(live, step.project);
              const openRows = (p?.profile ?? []).filter(
                (r) => QUARTERS.indexOf(r.quarter) >= current && pence(r.baseline) > 0,
              );
              const from = pick(openRows, step.from);
              const targets = QUARTERS.slice(current).filter((q) => q !== from?.quarter);
              const to = pick(targets, step.to);
              const amount = from ? share(pence(from.baseline), step.permille) : 0;
              if (!p || !from || !to || amount <= 0) break;
              await change('reprofile_spend', {
                project: p.code,
                sourceKind: 'LGF',
                lines: [
                  { quarter: from.quarter, delta: pounds(-amount) },
                  { quarter: to, delta: pounds(amount) },
                ],
              });
              break;
            }
            case 'reprofile_years': {
              const p = pick(live, step.project);
              const yearNow = parseQuarter(QUARTERS[current]).year;
              const a = p?.allocations.find(
                (x) => x.period === 'unprofiled' || Number(x.period.slice(0, 4)) >= yearNow,
              );
              const years = [yearNow, yearNow + 1, yearNow + 2].filter((y) => y <= 2017);
              const y1 = pick(years, step.year);
              const y2 = pick(
                years.filter((y) => y !== y1),
                step.year + 1,
              );
              const first = a ? share(a.amount, step.permille) : 0;
              if (!a || y1 === undefined || y2 === undefined || first <= 0 || first >= a.amount) break;
              await change('reprofile_years', {
                allocationId: a.id,
                periods: [
                  { period: formatFiscalYear(y1), amount: pounds(first) },
                  { period: formatFiscalYear(y2), amount: pounds(a.amount - first) },
                ],
              });
              break;
            }
            case 'withdraw': {
              const p = pick(
                live.filter((x) => x.status !== 'complete'),
                step.project,
              );
              if (!p) break;
              await change('withdraw_project', { project: p.code });
              break;
            }
            case 'hold': {
              const p = pick(
                projects.filter((x) => ['approved', 'in_delivery'].includes(x.status)),
                step.project,
              );
              if (!p) break;
              // put_on_hold is the older name of the same change; both stay accepted.
              await change(step.alias ? 'put_on_hold' : 'hold_project', { project: p.code });
              break;
            }
            case 'complete': {
              const p = pick(
                live.filter((x) => x.status !== 'complete'),
                step.project,
              );
              if (!p) break;
              await change('complete_project', { project: p.code });
              break;
            }
            case 'reinstate': {
              const p = pick(
                projects.filter((x) => ['on_hold', 'withdrawn'].includes(x.status)),
                step.project,
              );
              if (!p) break;
              await change('reinstate_project', { project: p.code });
              break;
            }
            case 'reduce': {
              const p = pick(live, step.project);
              const amount = p ? share(maxCut(p), step.permille) : 0;
              if (!p || amount <= 0) break;
              await change('reduce_allocation', {
                allocationId: p.allocations[0].id,
                amount: pounds(amount),
                mode: step.mode,
                reason: 'property test',
                reference: `REF-${step.permille}`,
              });
              reduceModes.add(step.mode);
              break;
            }
            case 'add_project': {
              const amount = share(headroom, step.permille);
              const n = Math.min(2, QUARTERS.length - current);
              if (amount < n) break;
              await addProject(amount, current, n);
              break;
            }
            case 'set_baseline': {
              const p = pick(live, step.project);
              if (!p) break;
              const locked = p.profile.filter((r) => QUARTERS.indexOf(r.quarter) < current && pence(r.baseline) > 0);
              const lockedTotal = locked.reduce((s, r) => s + pence(r.baseline), 0);
              const rest = p.allocation - lockedTotal;
              const from = Math.min(current + step.tilt, QUARTERS.length - 1);
              const n = Math.min(3, QUARTERS.length - from);
              if (rest < n) break;
              await change('set_baseline', {
                project: p.code,
                sourceKind: 'LGF',
                quarters: [
                  ...locked.map((r) => ({ quarter: r.quarter, amount: r.baseline })),
                  ...profile(from, n, rest),
                ],
              });
              break;
            }
            case 'repayment': {
              const p = pick(
                projects.filter((x) => x.spendToDate > 0),
                step.project,
              );
              const amount = p ? share(p.spendToDate, step.permille) : 0;
              if (!p || amount <= 0) break;
              const r = await t.request('POST', `${P}/projects/${p.code}/spend/repayments`, {
                sourceKind: 'LGF',
                amount: pounds(amount),
                reference: `RA-${step.permille}`,
                reason: 'promoter repaid an overclaim',
              });
              expect([code, r.status, r.body.message]).toEqual([code, 201, undefined]);
              entered.set(p.code, (entered.get(p.code) ?? 0) - amount);
              applied.repayment = (applied.repayment ?? 0) + 1;
              break;
            }
            case 'quarter':
              await closeQuarter();
              break;
          }
          now = await invariants();
        }
        // The next return: its actuals entered, it submits without errors.
        await closeQuarter();
        await invariants();
      }),
      // The covering sequence is one of the numRuns (fast-check runs examples first, within the count).
      { numRuns: RUNS[kind], endOnFailure: true, examples: [[EVERY_KIND]] },
    );
    // What the runs exercised (printed, so a run that skipped everything shows).
    console.log(
      `${kind}: ${RUNS[kind]} runs in ${((Date.now() - started) / 1000).toFixed(1)} s; approved or recorded: ${JSON.stringify(applied)}`,
    );
    expect(applied.quarter).toBeGreaterThanOrEqual(RUNS[kind] * 2);
    // Every kind the installation knows was approved at least once (a new kind fails here until
    // a step exercises it or NOT_MONEY names it with its reason), and reduce_allocation in both modes.
    const known = ((await t.request('GET', '/api/change-request-kinds')).body as { kind: string }[]).map((k) => k.kind);
    expect(known.filter((k) => !NOT_MONEY.includes(k) && !applied[k])).toEqual([]);
    expect(NOT_MONEY.filter((k) => !known.includes(k))).toEqual([]);
    expect([...reduceModes].sort()).toEqual(['reduce_envelope', 'release']);
    expect(applied.repayment).toBeGreaterThanOrEqual(1);
    // A time-out only catches a hang: 2 runs took 112 s on PostgreSQL with six engineers' suites running.
  }, 300_000);
});
