import { parse } from 'csv-parse/sync';
import { breakdown, reconcile } from './engine';
import { group, headline, M, TENTH } from './engine/spec-fixtures';
import { breakdownCsv, presentLine, presentReconciliation } from './reconciliation-present';

const programme = { code: 'DEMO', name: 'Demo deal' };

describe('presenting reconciliation lines', () => {
  it('speaks pounds as two-place strings and counts as whole numbers, keeping the unit', () => {
    const r = reconcile({
      headlines: [
        headline('MONEY', 27 * M + 7 * TENTH, TENTH, { allocations: {} }),
        headline('SITES', 5, 1, { count: { of: 'projects' } }, { unit: 'sites' }),
      ],
      groups: [group({ pence: 34 * M + 6 * TENTH })],
      projects: [{ code: 'A', themeCode: null, status: 'approved' }],
      outputs: {},
    });
    const [money, sites] = r.lines.map(presentLine);
    expect(money).toMatchObject({
      unit: 'pounds',
      stated: '27700000.00',
      computed: '34600000.00',
      variance: '6900000.00',
      unattributed: '-6900000.00',
      precision: '100000.00',
      tolerance: '50000.00',
    });
    expect(sites).toMatchObject({
      unit: 'sites',
      stated: 5,
      computed: 1,
      variance: -4,
      precision: 1,
      tolerance: 0.5,
      unattributed: null,
    });
  });

  it('keeps half an odd penny of tolerance exact rather than rounding it away', () => {
    const r = reconcile({
      headlines: [headline('ODD', 100, 3, { allocations: {} })],
      groups: [group({ pence: 100 })],
      projects: [],
      outputs: {},
    });
    expect(presentLine(r.lines[0]).tolerance).toBe('0.015');
  });

  it('leaves out the sum of overlapping lines’ unattributed figures', () => {
    const r = reconcile({ headlines: [], groups: [], projects: [], outputs: {} });
    expect(
      presentReconciliation({ programme, report: r, delivered: { through: null, definition: '' } }).summary,
    ).toEqual({
      lines: 0,
      byStatus: { reconciled: 0, within_rounding: 0, unreconciled: 0, met: 0, not_met: 0, not_comparable: 0 },
      conflicts: 0,
    });
  });
});

describe('breakdown CSV', () => {
  const groups = [
    group({ pence: 150, allocationIds: [1] }),
    group({ pence: 250, sourceKind: 'LOCAL_MATCH', allocationIds: [2, 3] }),
  ];
  const filters = { approval: 'approved' as const, includeWithdrawn: false };

  it('one dimension: a total column only, then a total row', () => {
    const csv = breakdownCsv({ programme, filters, breakdown: breakdown(groups, ['sourceKind']) });
    expect(csv).toBe('sourceKind,total,allocation_ids\nLGF,1.50,1\nLOCAL_MATCH,2.50,2 3\nTotal,4.00,\n');
  });

  it('three dimensions: two label columns, blank under the second in the total row', () => {
    const csv = breakdownCsv({ programme, filters, breakdown: breakdown(groups, ['sourceKind', 'theme', 'year']) });
    expect(parse(csv)).toEqual([
      ['sourceKind', 'theme', 'unprofiled', 'total', 'allocation_ids'],
      ['LGF', 'SITES', '1.50', '1.50', '1'],
      ['LOCAL_MATCH', 'SITES', '2.50', '2.50', '2 3'],
      ['Total', '', '4.00', '4.00', ''],
    ]);
  });
});
