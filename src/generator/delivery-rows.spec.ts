import { parsePounds } from '../common/money';
import { actualsThroughIndex, milestoneRows, outputRows, spendRows } from './delivery-rows';
import { planNational } from './plan';
import { Rng } from './prng';

describe('synthetic delivery rows', () => {
  const plan = planNational({ leps: 3, projects: 40, quarters: 12, seed: 5 });
  const inputs = plan.seeds.map((seed, i) => ({
    seed,
    programmeId: i + 1,
    projectIds: new Map(seed.projects.map((p, j) => [p.code, (i + 1) * 1000 + j])),
    quarters: plan.quarters,
    now: '2015-04-01T00:00:00.000Z',
  }));

  it('profiles every live project × source kind for every quarter, the baseline summing exactly to its allocations', () => {
    let lines = 0;
    for (const x of inputs) {
      const rows = spendRows(x, new Rng(1).fork(x.seed.programme.code));
      const want = new Map<string, number>();
      for (const a of x.seed.allocations)
        if (a.project && a.commitmentStatus !== 'withdrawn')
          want.set(
            `${x.projectIds.get(a.project)}|${a.sourceKind}`,
            (want.get(`${x.projectIds.get(a.project)}|${a.sourceKind}`) ?? 0) + parsePounds(a.amount),
          );
      const got = new Map<string, { baseline: number; forecast: number; n: number }>();
      for (const r of rows) {
        const k = `${r[1]}|${r[2]}`;
        const g = got.get(k) ?? { baseline: 0, forecast: 0, n: 0 };
        g.baseline += r[4] as number;
        g.forecast += r[5] as number;
        g.n++;
        got.set(k, g);
        expect(Number.isSafeInteger(r[4]) && Number.isSafeInteger(r[5])).toBe(true);
        const past = plan.quarters.indexOf(r[3] as string) <= actualsThroughIndex(plan.quarters.length);
        expect(r[6] === null).toBe(!past);
        if (past) expect(r[6] as number).toBeLessThanOrEqual(Math.ceil((r[5] as number) * 1.05));
      }
      expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
      for (const [k, g] of got) {
        expect({ k, baseline: g.baseline, forecast: g.forecast, n: g.n }).toEqual({
          k,
          baseline: want.get(k),
          forecast: want.get(k),
          n: 12,
        });
      }
      lines += got.size;
    }
    expect(lines).toBeGreaterThan(40);
  });

  it('is deterministic and gives milestones in order and outputs only up to "today"', () => {
    const x = inputs[0];
    const a = spendRows(x, new Rng(1).fork('p'));
    expect(spendRows(x, new Rng(1).fork('p'))).toEqual(a);
    const ms = milestoneRows(x, a, new Rng(2));
    expect(ms.length).toBe(new Set(a.map((r) => r[1])).size * 5);
    for (const m of ms) {
      expect((m[6] as string) >= (m[5] as string)).toBe(true);
      expect(m[8]).toBe(m[7] ? 'complete' : 'open');
    }
    const { targets, actuals } = outputRows(x, a, new Rng(3));
    expect(targets.length).toBe(new Set(a.map((r) => r[1])).size * 3);
    const last = plan.quarters[actualsThroughIndex(plan.quarters.length)];
    for (const r of actuals) expect((r[3] as string) <= last).toBe(true);
    // Claims are the project's own: never the same key for two projects.
    const owner = new Map<string, unknown>();
    for (const r of actuals) {
      expect(owner.get(r[5] as string) ?? r[1]).toBe(r[1]);
      owner.set(r[5] as string, r[1]);
    }
  });
});
