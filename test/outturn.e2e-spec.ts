import { EntityManager } from 'typeorm';
import { addQuarters, formatFiscalYear, formatQuarter, parseQuarter, quarterEnd } from '../src/common/fiscal';
import { nationalRowPages } from '../src/national-return/national-return.queries';
import { ReturnVersion } from '../src/periods/return-version.entity';
import { storeReturnVersion } from '../src/returns/store-version';
import { codeMaps, findProgramme } from '../src/programmes/programme-lookup';
import { Project } from '../src/projects/project.entity';
import { financeAsAt } from '../src/spend/finance-return';
import { lastSubmittedReturn, outturnOf, OutturnAdjustment, OutturnSpendLine } from '../src/spend/outturn';
import { lastReturn, ReportingPosition, spendAggregates } from '../src/spend/spend-aggregates';
import { SpendAdjustment, SpendProfileLine } from '../src/spend/spend.entities';
import { databaseKinds } from './support/databases';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Issue 14: outturn, actual to date and "the last submitted return" have one definition
 * (src/spend/outturn.ts). Every SQL version (the spend figures' aggregates, the national
 * return's batch) and the return's finance figures are compared with it on generated data, as
 * at several quarters, including quarters before data that exists (actuals after the as-at
 * quarter must not count).
 */
const CODE = 'SSLEP-GD-2014';

/** A small deterministic generator (mulberry32), so a failure replays. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function position(code: string): ReportingPosition {
  const q = parseQuarter(code);
  return {
    quarter: q,
    quarterCode: code,
    quarterEnd: quarterEnd(q),
    year: formatFiscalYear(q.year),
    yearFrom: formatQuarter({ year: q.year, q: 1 }),
    yearTo: formatQuarter({ year: q.year, q: 4 }),
  };
}

describe.each(databaseKinds())('one definition of outturn on %s', (kind) => {
  let t: TestApp;
  const spend = new Map<string, OutturnSpendLine[]>();
  const adjustments = new Map<string, OutturnAdjustment[]>();
  const QUARTERS = Array.from({ length: 24 }, (_, i) => formatQuarter(addQuarters({ year: 2015, q: 1 }, i)));

  beforeAll(async () => {
    t = await startTestApp(kind);
    const random = rng(20261201);
    const pence = (max: number) => Math.floor(random() * max);
    await t.db.write(async (m) => {
      const prog = await findProgramme(m, CODE);
      const projects = (await m.find(Project, { where: { programmeId: prog.id }, order: { code: 'ASC' } })).slice(0, 8);
      const now = new Date().toISOString();
      for (const p of projects) {
        for (const sourceKind of ['LGF', 'LOCAL_MATCH']) {
          const key = `${p.code}|${sourceKind}`;
          spend.set(key, []);
          adjustments.set(key, []);
          for (const quarter of QUARTERS) {
            if (random() < 0.2) continue; // lines with no row at all
            const line = {
              quarter,
              forecastPence: pence(50_000_000),
              actualPence: random() < 0.3 ? null : pence(50_000_000),
            };
            spend.get(key)!.push(line);
            await m.insert(SpendProfileLine, {
              programmeId: prog.id,
              projectId: p.id,
              sourceKind,
              baselinePence: pence(50_000_000),
              ...line,
              illustrative: false,
              updatedAt: now,
            });
          }
          for (let i = 0; i < 4; i++) {
            const recorded = QUARTERS[Math.floor(random() * QUARTERS.length)];
            const corrects = QUARTERS[Math.floor(random() * QUARTERS.indexOf(recorded) + 0)] ?? recorded;
            const adj = {
              recordedInQuarter: recorded,
              correctsQuarter: corrects,
              amountPence: pence(2_000_000) - 1_000_000,
            };
            adjustments.get(key)!.push(adj);
            await m.insert(SpendAdjustment, {
              programmeId: prog.id,
              projectId: p.id,
              sourceKind,
              ...adj,
              reason: 'generated',
              recordedBy: 'test',
              recordedAt: now,
              illustrative: false,
            });
          }
        }
      }
    });
  });
  afterAll(async () => t?.close());

  const AS_AT = ['2015-16 Q1', '2016-17 Q3', '2018-19 Q2', '2020-21 Q4'];

  function expected(asAt: string) {
    const q = parseQuarter(asAt);
    const year: [string, string] = [formatQuarter({ year: q.year, q: 1 }), formatQuarter({ year: q.year, q: 4 })];
    return new Map([...spend.keys()].map((k) => [k, outturnOf(asAt, year, spend.get(k)!, adjustments.get(k)!)]));
  }

  it.each(AS_AT)('the spend figures’ SQL agrees with the definition as at %s', async (asAt) => {
    const want = expected(asAt);
    const got = await t.db.read(async (m) => {
      const prog = await findProgramme(m, CODE);
      return spendAggregates(m, prog, position(asAt), (await codeMaps(m, prog.id)).project);
    });
    let compared = 0;
    for (const a of got) {
      const w = want.get(`${a.project}|${a.sourceKind}`);
      if (!w) continue;
      compared++;
      expect({
        key: `${a.project}|${a.sourceKind}`,
        spendToDate: a.actualToDatePence + a.adjustmentsPence,
        spendInQuarter: a.actualInQuarterPence + a.adjustmentsInQuarterPence,
        forecastProgramme: a.forecastProgrammePence + a.adjustmentsPence,
        forecastYear: a.forecastYearPence + a.adjustmentsYearPence,
      }).toEqual({
        key: `${a.project}|${a.sourceKind}`,
        spendToDate: w.spendToDate,
        spendInQuarter: w.spendInQuarter,
        forecastProgramme: w.forecastProgramme,
        forecastYear: w.forecastYear,
      });
    }
    expect(compared).toBe(want.size);
  });

  it.each(AS_AT)('the national return’s SQL agrees with the definition as at %s', async (asAt) => {
    const want = expected(asAt);
    const rows = await t.db.read(async (m: EntityManager) => {
      const out = [];
      for await (const page of nationalRowPages(m, kind, asAt, 7)) out.push(...page);
      return out;
    });
    let compared = 0;
    for (const r of rows) {
      const w = want.get(`${r.project}|${r.sourceKind}`);
      if (!w || r.programme !== CODE) continue;
      compared++;
      expect([r.project, r.sourceKind, r.actualToDate, r.actualInQuarter, r.forecastProgramme]).toEqual([
        r.project,
        r.sourceKind,
        w.spendToDate,
        w.spendInQuarter,
        w.forecastProgramme,
      ]);
    }
    expect(compared).toBe(want.size);
  });

  it.each(AS_AT)('the return’s finance figures agree with the definition as at %s', (asAt) => {
    const want = expected(asAt);
    const q = parseQuarter(asAt);
    const rows = [...spend].flatMap(([k, ls]) =>
      ls.map((l) => ({
        project: k.split('|')[0],
        sourceKind: k.split('|')[1],
        baselinePence: 0,
        illustrative: false,
        ...l,
      })),
    );
    const adj = [...adjustments].flatMap(([k, as]) =>
      as.map((a) => ({ project: k.split('|')[0], sourceKind: k.split('|')[1], reason: 'generated', ...a })),
    );
    const fig = financeAsAt(
      asAt,
      [formatQuarter({ year: q.year, q: 1 }), formatQuarter({ year: q.year, q: 4 })],
      rows,
      adj,
      new Map(),
    );
    expect(fig.lines).toHaveLength(want.size);
    for (const l of fig.lines) {
      const w = want.get(`${l.project}|${l.sourceKind}`)!;
      expect([l.spendToDate, l.spendInQuarter, l.forecastProgramme, l.forecastYear]).toEqual([
        w.spendToDate,
        w.spendInQuarter,
        w.forecastProgramme,
        w.forecastYear,
      ]);
    }
  });

  it('"the last submitted return" is the latest version of the latest quarter up to the one asked, everywhere', async () => {
    const result = await t.db.write(async (m) => {
      const prog = await findProgramme(m, CODE);
      const submit = (quarter: string, version: number) =>
        storeReturnVersion(
          m,
          {
            programmeId: prog.id,
            quarter,
            version,
            status: 'submitted',
            snapshotSha256: `${quarter}-${version}`,
            xlsxBase64: null,
            xlsxSha256: null,
            reason: null,
            comments: null,
            submittedBy: 'test',
            submittedAt: new Date().toISOString(),
            submittedOn: null,
          },
          [
            JSON.stringify({
              finance: { lines: [{ project: 'X', sourceKind: 'LGF', forecastProgramme: `${version}.00` }] },
            }),
          ],
        );
      await submit('2015-16 Q1', 1);
      await submit('2015-16 Q2', 1);
      await submit('2015-16 Q2', 2);
      const at = async (q: string) => {
        const r = await lastSubmittedReturn(m, prog.id, q);
        return r ? `${r.quarter} v${r.version}` : null;
      };
      const live = await lastReturn(m, prog, position('2015-16 Q3'));
      const out = {
        before: await at('2014-15 Q4'),
        q1: await at('2015-16 Q1'),
        q2: await at('2015-16 Q2'),
        q3: await at('2015-16 Q3'),
        later: await at('2017-18 Q1'),
        live: [live.quarter, live.version, live.forecasts?.get('X|LGF')],
      };
      await m.delete(ReturnVersion, { programmeId: prog.id });
      return out;
    });
    expect(result).toEqual({
      before: null,
      q1: '2015-16 Q1 v1',
      q2: '2015-16 Q2 v2',
      q3: '2015-16 Q2 v2',
      later: '2015-16 Q2 v2',
      live: ['2015-16 Q2', 2, 200],
    });
  });
});
