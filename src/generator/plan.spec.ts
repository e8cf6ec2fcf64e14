import { parsePounds } from '../common/money';
import { validateDealSeed } from '../deal-loading/seed-validation';
import { planHash } from './generator.service';
import { apportion, planNational } from './plan';
import { Rng } from './prng';

describe('synthetic national plan', () => {
  const params = { leps: 5, projects: 60, quarters: 12, seed: 3 };

  it('is deterministic: the same seed gives the same content hash, another seed another', () => {
    const a = planNational(params);
    const b = planNational({ ...params });
    expect(planHash(a)).toBe(planHash(b));
    expect(planHash(planNational({ ...params, seed: 4 }))).not.toBe(planHash(a));
  });

  it('never calls Math.random', () => {
    const spy = jest.spyOn(Math, 'random');
    planNational(params);
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });

  it('has exactly the projects asked for, quarters from 2015-16 Q1, and every programme flagged synthetic', () => {
    const p = planNational(params);
    expect(p.seeds.reduce((s, d) => s + d.projects.length, 0)).toBe(60);
    expect(p.quarters).toHaveLength(12);
    expect(p.quarters[0]).toBe('2015-16 Q1');
    expect(p.quarters[11]).toBe('2017-18 Q4');
    expect(new Set(p.seeds.map((s) => s.programme.lep)).size).toBe(5);
    for (const s of p.seeds) {
      expect(s.programme.synthetic).toBe(true);
      expect(s.illustrative).toBe(true);
      expect(s.programme.endsOn).toBe('2018-03-31');
    }
  });

  it('produces seeds the seed validator accepts, with amounts in £0.1m steps and a mix of kinds and statuses', () => {
    const p = planNational({ leps: 4, projects: 300, quarters: 40, seed: 1 });
    const kinds = new Set<string>();
    const statuses = new Set<string>();
    for (const s of p.seeds) {
      validateDealSeed(s.name, JSON.parse(JSON.stringify(s)));
      for (const a of s.allocations) {
        kinds.add(a.sourceKind);
        statuses.add(a.commitmentStatus);
        if (a.sourceKind !== 'REVENUE_GRANT') expect(parsePounds(a.amount) % 10_000_000).toBe(0);
      }
    }
    expect([...kinds].sort()).toEqual([
      'LGF',
      'LGF_PRECOMMITTED',
      'LGF_PROVISIONAL',
      'LOCAL_MATCH',
      'PRIVATE_MATCH',
      'REVENUE_GRANT',
    ]);
    expect([...statuses].sort()).toEqual(['confirmed', 'indicative', 'provisional', 'withdrawn']);
    expect(p.seeds.some((s) => (s.pools ?? []).length > 0)).toBe(true);
    expect(p.expectations.some((e) => e.expect === 'unreconciled')).toBe(true);
    expect(p.expectations.filter((e) => e.expect === 'agrees').length).toBeGreaterThan(
      p.expectations.filter((e) => e.expect === 'unreconciled').length * 5,
    );
  });

  it('skews projects per LEP (the largest LEP has well over the mean)', () => {
    const p = planNational({ leps: 39, projects: 6000, quarters: 40, seed: 1 });
    const perLep = new Map<string, number>();
    for (const s of p.seeds) perLep.set(s.programme.lep!, (perLep.get(s.programme.lep!) ?? 0) + s.projects.length);
    expect(perLep.size).toBe(39);
    expect(Math.max(...perLep.values())).toBeGreaterThan(2 * (6000 / 39));
    expect([...perLep.values()].reduce((a, b) => a + b, 0)).toBe(6000);
  });
});

describe('apportion and the PRNG', () => {
  it('apportion splits a total exactly with the minimum respected', () => {
    expect(apportion(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(apportion(7, [100, 1, 1], 1).reduce((a, b) => a + b, 0)).toBe(7);
    expect(Math.min(...apportion(7, [100, 1, 1], 1))).toBe(1);
  });

  it('the same seed gives the same stream; forks are independent of later draws', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    expect([a.uint32(), a.uint32(), a.int(1, 6)]).toEqual([b.uint32(), b.uint32(), b.int(1, 6)]);
    expect(new Rng(1).fork('x').uint32()).toBe(new Rng(1).fork('x').uint32());
    expect(new Rng(1).fork('x').uint32()).not.toBe(new Rng(1).fork('y').uint32());
  });
});
