import fc from 'fast-check';
import { countOnce } from './output-totals';

describe('programme output totals', () => {
  it('counts a claim key shared by two projects once (the larger claim)', () => {
    const r = countOnce([
      { metric: 'JOBS_CREATED', claimKey: 'EMPLOYER:ACME', projectId: 1, value: 40 },
      { metric: 'JOBS_CREATED', claimKey: 'EMPLOYER:ACME', projectId: 2, value: 25 },
      { metric: 'JOBS_CREATED', claimKey: 'EMPLOYER:BETA', projectId: 2, value: 10 },
      { metric: 'HOMES_COMPLETED', claimKey: 'SITE:A', projectId: 1, value: 12 },
    ]);
    expect(r.totals.get('JOBS_CREATED')).toEqual({ metric: 'JOBS_CREATED', claimed: 75, removed: 25, total: 50 });
    expect(r.totals.get('HOMES_COMPLETED')).toEqual({ metric: 'HOMES_COMPLETED', claimed: 12, removed: 0, total: 12 });
    expect(r.doubleClaims).toEqual([
      {
        metric: 'JOBS_CREATED',
        claimKey: 'EMPLOYER:ACME',
        claims: [
          { projectId: 1, value: 40 },
          { projectId: 2, value: 25 },
        ],
        countedValue: 40,
        removedValue: 25,
      },
    ]);
  });

  it('total + removed = claimed, and total never exceeds claimed', () => {
    const row = fc.record({
      metric: fc.constantFrom('A', 'B'),
      claimKey: fc.constantFrom('K1', 'K2', 'K3'),
      projectId: fc.integer({ min: 1, max: 4 }),
      value: fc.integer({ min: 0, max: 10_000 }),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(row, { selector: (r) => `${r.metric}|${r.claimKey}|${r.projectId}`, maxLength: 20 }),
        (rows) => {
          const { totals } = countOnce(rows);
          for (const t of totals.values()) {
            expect(t.total + t.removed).toBe(t.claimed);
            expect(t.claimed).toBe(rows.filter((r) => r.metric === t.metric).reduce((s, r) => s + r.value, 0));
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
