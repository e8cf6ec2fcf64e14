import { parse } from 'csv-parse/sync';
import { parsePounds } from '../src/common/money';
import { GeneratorService, type GenerateResult } from '../src/generator/generator.service';
import { cli as runCli } from './support/cli';
import { databaseKinds } from './support/databases';
import { startTestApp, TestApp } from './support/test-app';

/**
 * The national breakdown (every programme's approved allocations together) as a department
 * would ask for it: over HTTP (JSON and CSV, public for approved money) and from the command
 * line, with exact pound strings. First the 2014 deal alone, its figures added up by hand from
 * the seed's 19 allocations; then with a small generated dataset beside it, whose expected
 * matrix is summed here from the generator's plan (not from the database).
 */

// The 2014 deal by source kind × year: every figure is unprofiled except the growth hub's
// £250,000 revenue grant for 2015-16. LGF 2.4 + 4.0 + 4.2 + 1.0 + 16.1 + 6.9 = £34.6m;
// precommitted 8.2 + 8.2 = £16.4m; provisional 6.0 + 16.1 + 5.0 = £27.1m; local match
// 2.5 + 0.1 + 2.0 + 2.0 + 1.9 = £8.5m; private match (two pools) 4.8 + 5.8 = £10.6m.
const DEAL_2014: [string, string, string, string][] = [
  ['LGF', '0.00', '34600000.00', '34600000.00'],
  ['LGF_PRECOMMITTED', '0.00', '16400000.00', '16400000.00'],
  ['LGF_PROVISIONAL', '0.00', '27100000.00', '27100000.00'],
  ['LOCAL_MATCH', '0.00', '8500000.00', '8500000.00'],
  ['PRIVATE_MATCH', '0.00', '10600000.00', '10600000.00'],
  ['REVENUE_GRANT', '250000.00', '0.00', '250000.00'],
];

/** A seed period ("unprofiled", "2016-17", "2016-17..2018-19", "2017-18..") as the breakdown labels it. */
function yearColumn(period: string): string {
  if (period === 'unprofiled' || !period.includes('..')) return period;
  const [from, to] = period.split('..');
  if (to === '') return `${from} onwards`;
  return from === to ? from : `${from} to ${to}`;
}

const pounds = (p: bigint) =>
  `${p < 0n ? '-' : ''}${(p < 0n ? -p : p) / 100n}.${String((p < 0n ? -p : p) % 100n).padStart(2, '0')}`;

describe.each(databaseKinds())('national breakdown on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => t?.close());

  describe('the 2014 deal alone', () => {
    it('JSON, anonymous: source kind × year with exact cells, row totals, column totals and grand total', async () => {
      const r = await t.anonymous('GET', '/api/national/breakdown?by=sourceKind,year');
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({
        scope: 'national',
        filters: { approval: 'approved', includeWithdrawn: false },
        unit: 'pounds',
        by: ['sourceKind', 'year'],
        rowDimensions: ['sourceKind'],
        columnDimension: 'year',
        columns: ['2015-16', 'unprofiled'],
        columnTotals: { '2015-16': '250000.00', unprofiled: '97200000.00' },
        grandTotal: '97450000.00',
      });
      expect(r.body.rows.map((x: any) => [x.labels[0], x.cells['2015-16'], x.cells.unprofiled, x.total])).toEqual(
        DEAL_2014,
      );
      // National rows never list allocation ids (tens of thousands of them nationally).
      expect(r.body.rows.every((x: any) => !('allocationIds' in x))).toBe(true);
    });

    it('by commitment status: confirmed £59.5m, indicative £10.6m, provisional £27.35m', async () => {
      const r = await t.anonymous('GET', '/api/national/breakdown?by=status');
      expect(r.status).toBe(200);
      expect(r.body.rows.map((x: any) => [x.key.status, x.total])).toEqual([
        ['confirmed', '59500000.00'],
        ['indicative', '10600000.00'],
        ['provisional', '27350000.00'],
      ]);
      expect(r.body.grandTotal).toBe('97450000.00');
    });

    it('CSV by ?format=csv or the Accept header, the same figures with a Total row', async () => {
      const want = [
        'sourceKind,2015-16,unprofiled,total',
        ...DEAL_2014.map((row) => row.join(',')),
        'Total,250000.00,97200000.00,97450000.00',
      ];
      const byQuery = await t.anonymous('GET', '/api/national/breakdown?format=csv');
      expect(byQuery.status).toBe(200);
      expect(byQuery.headers['content-type']).toMatch(/^text\/csv/);
      expect(byQuery.headers['content-disposition']).toBe(
        'attachment; filename="national-breakdown-by-sourceKind-year.csv"',
      );
      expect(byQuery.text.trim().split(/\r?\n/)).toEqual(want);
      const byAccept = await t.anonymous('GET', '/api/national/breakdown', undefined, { accept: 'text/csv' });
      expect(byAccept.status).toBe(200);
      expect(byAccept.text).toBe(byQuery.text);
    });

    it('bad input is a 400 naming the field, never a 500; drafts are for signed-in callers', async () => {
      for (const [query, field] of [
        ['by=project', 'by'],
        ['by=sourceKind,sourceKind', 'by'],
        ['by=colour', 'by'],
        ['approval=maybe', 'approval'],
        ['includeWithdrawn=perhaps', 'includeWithdrawn'],
      ]) {
        const r = await t.anonymous('GET', `/api/national/breakdown?${query}`);
        expect([query, r.status]).toEqual([query, 400]);
        expect(r.text).toContain(field);
      }
      expect((await t.anonymous('GET', '/api/national/breakdown?approval=all')).status).toBe(403);
      const all = await t.request('GET', '/api/national/breakdown?approval=all&by=sourceKind');
      expect([all.status, all.body.grandTotal]).toEqual([200, '97450000.00']); // the seed has no drafts
    });

    it('the command line prints the same table, CSV and JSON', async () => {
      const csv = await runCli(['national-breakdown', '--format', 'csv'], t.env);
      expect(csv.code).toBe(0);
      expect(parse(csv.out)).toEqual([
        ['sourceKind', '2015-16', 'unprofiled', 'total'],
        ...DEAL_2014,
        ['Total', '250000.00', '97200000.00', '97450000.00'],
      ]);
      const json = await runCli(['national-breakdown', '--by', 'status', '--format', 'json'], t.env);
      expect(json.code).toBe(0);
      expect(JSON.parse(json.out).grandTotal).toBe('97450000.00');
      const bad = await runCli(['national-breakdown', '--by', 'theme'], t.env);
      expect(bad.code).toBe(2);
      expect(bad.err).toContain('theme');
    });
  });

  describe('with a small generated dataset beside the 2014 deal', () => {
    let gen: GenerateResult;
    beforeAll(async () => {
      gen = await t.app.get(GeneratorService).generate({ leps: 3, projects: 24, quarters: 8, seed: 11 });
      expect(gen.loaded).toBe(true);
    }, 300_000);

    it('every cell is the 2014 deal plus the plan’s approved, live allocations of that kind and year, to the penny', async () => {
      const want = new Map<string, Map<string, bigint>>();
      const add = (k: string, col: string, p: bigint) => {
        const row = want.get(k) ?? new Map<string, bigint>();
        row.set(col, (row.get(col) ?? 0n) + p);
        want.set(k, row);
      };
      for (const [k, y, u] of DEAL_2014) {
        add(k, '2015-16', BigInt(parsePounds(y)));
        add(k, 'unprofiled', BigInt(parsePounds(u)));
      }
      let planned = 0;
      for (const s of gen.plan.seeds)
        for (const a of s.allocations)
          if (a.commitmentStatus !== 'withdrawn') {
            add(a.sourceKind, yearColumn(a.period), BigInt(parsePounds(a.amount)));
            planned++;
          }
      expect(planned).toBeGreaterThan(40);

      const r = await t.anonymous('GET', '/api/national/breakdown?by=sourceKind,year');
      expect(r.status).toBe(200);
      const got = new Map<string, Map<string, bigint>>();
      for (const row of r.body.rows) {
        const cells = new Map<string, bigint>();
        for (const [c, v] of Object.entries(row.cells as Record<string, string>))
          if (v !== '0.00') cells.set(c, BigInt(parsePounds(v)));
        got.set(row.key.sourceKind, cells);
        // Each row's total is the sum of its own cells.
        const sum = [...cells.values()].reduce((a, b) => a + b, 0n);
        expect([row.key.sourceKind, row.total]).toEqual([row.key.sourceKind, pounds(sum)]);
      }
      for (const row of want.values()) for (const [c, v] of row) if (v === 0n) row.delete(c);
      expect(got).toEqual(want);
      const grand = [...want.values()].flatMap((m) => [...m.values()]).reduce((a, b) => a + b, 0n);
      expect(r.body.grandTotal).toBe(pounds(grand));
      expect(grand).toBeGreaterThan(9745000000n);

      // The national figure is every programme's own breakdown added together.
      const perProgramme = await Promise.all(
        ['SSLEP-GD-2014', ...gen.plan.seeds.map((s) => s.programme.code)].map(async (code) => {
          const b = await t.anonymous('GET', `/api/programmes/${code}/breakdown?by=sourceKind`);
          expect(b.status).toBe(200);
          return BigInt(parsePounds(b.body.grandTotal));
        }),
      );
      expect(perProgramme.reduce((a, b) => a + b, 0n)).toBe(grand);
    });
  });
});
