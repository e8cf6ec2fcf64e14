import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { breakdown } from '../reconciliation/engine';
import { presentBreakdown } from '../reconciliation/reconciliation-present';
import { NationalReturnService } from '../national-return/national-return.service';
import { runCli } from './cli-process';
import { bareJsonServer, loadTest } from './http-load';
import { loadNationalBook, workbookValues, writeBookWithExceljs } from './national-baseline';
import { openRawPostgresPool } from './raw-driver';
import type { BenchTarget } from './targets';
import { interleave, Sampled } from './timing';

export class BaselineMismatchError extends Error {}

export function assertEqual(what: string, a: unknown, b: unknown): void {
  if (!isDeepStrictEqual(a, b))
    throw new BaselineMismatchError(`${what}: the baseline does not compute what the app computes`);
}

export const NATIONAL_QUARTER = '2016-17 Q1';
const GENERATED_AT = '2026-01-01T00:00:00.000Z';
export const MEMORY_LIMIT_KB = 250 * 1024;

export interface NationalReturnMeasure {
  app: Sampled;
  baseline: Sampled;
  rows: number;
  /** Peak resident set of the real CLI process `return national` (kilobytes, GNU time from outside), when measured. */
  maxRssKb: number | null;
  childMs: number | null;
}

/**
 * The national return: the app's streamed export (database → xlsx) vs exceljs writing the same
 * cells from memory. The two workbooks' cell values are compared before any timing.
 */
export async function measureNationalReturn(
  t: BenchTarget,
  reps: number,
  withChild: boolean,
): Promise<NationalReturnMeasure> {
  const dir = mkdtempSync(join(tmpdir(), 'gdt-national-'));
  try {
    const svc = t.app.get(NationalReturnService);
    const appFile = join(dir, 'app.xlsx');
    const baseFile = join(dir, 'baseline.xlsx');
    const book = await loadNationalBook(t.raw, NATIONAL_QUARTER, GENERATED_AT);
    const first = await svc.exportToFile(appFile, NATIONAL_QUARTER, { generatedAt: GENERATED_AT });
    await writeBookWithExceljs(baseFile, book);
    assertEqual('national return', await workbookValues(appFile), await workbookValues(baseFile));
    const [app, baseline] = await interleave(
      [
        { name: 'app', run: () => svc.exportToFile(appFile, NATIONAL_QUARTER, { generatedAt: GENERATED_AT }) },
        { name: 'exceljs', run: () => writeBookWithExceljs(baseFile, book) },
      ],
      reps,
      1,
    );
    let maxRssKb: number | null = null;
    let childMs: number | null = null;
    if (withChild) {
      // The real CLI process, its peak measured from outside (GNU time).
      const c = await runCli(['return', 'national', '--quarter', NATIONAL_QUARTER, '--out', join(dir, 'cli.xlsx')], {
        DATABASE_URL: undefined,
        DATABASE_SCHEMA: undefined,
        DATABASE_PATH: undefined,
        ...t.env,
      });
      const rows = Number(/(\d+) rows written/.exec(c.stdout)?.[1]);
      if (rows !== first.rows)
        throw new BaselineMismatchError(`the CLI's national return wrote ${rows} rows, the app ${first.rows}`);
      maxRssKb = c.peakKb;
      childMs = c.ms;
    }
    return { app, baseline, rows: first.rows, maxRssKb, childMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface HttpMeasure {
  appRps: number;
  bareRps: number;
  requests: number;
  concurrency: number;
}

/**
 * A public route over loopback HTTP: the Fastify app (no token: the route is public) vs a bare
 * node:http server running the same queries (the same service call) and JSON.stringify. The
 * two bodies must be identical JSON before timing; best of two runs each, alternating.
 */
export async function measureHttp(
  appUrl: string,
  bareHandler: () => Promise<unknown>,
  load: { requests: number; concurrency: number },
): Promise<HttpMeasure> {
  const bare = await bareJsonServer(bareHandler);
  try {
    const a1 = await loadTest(appUrl, load);
    const b1 = await loadTest(`${bare.url}/`, load);
    if (a1.statuses['200'] !== load.requests || b1.statuses['200'] !== load.requests)
      throw new Error(
        `HTTP load saw non-200 answers: app ${JSON.stringify(a1.statuses)}, bare ${JSON.stringify(b1.statuses)}`,
      );
    // Byte for byte: the same JSON text, key order included.
    if (a1.firstBody !== b1.firstBody)
      throw new BaselineMismatchError(`${appUrl}: the bare server's body differs from the app's`);
    const b2 = await loadTest(`${bare.url}/`, load);
    const a2 = await loadTest(appUrl, load);
    return { appRps: Math.max(a1.perSecond, a2.perSecond), bareRps: Math.max(b1.perSecond, b2.perSecond), ...load };
  } finally {
    await bare.close();
  }
}

/**
 * The raw programme breakdown by source kind × year: one prepared aggregate of its own (not
 * the app's SQL builder), then the shared pure engine and presenter.
 */
export function rawBreakdownSql(kind: 'sqlite' | 'postgres'): string {
  const ids = kind === 'postgres' ? `string_agg(CAST(a.id AS varchar), ',')` : 'GROUP_CONCAT(a.id)';
  return `SELECT g.name AS pname, a.source_kind, a.period_kind, a.year_from, a.year_to, SUM(a.amount_pence) AS pence, ${ids} AS ids
            FROM programme g JOIN allocation a ON a.programme_id = g.id
             AND a.approval_state = 'approved' AND a.commitment_status <> 'withdrawn'
           WHERE g.code = ${kind === 'postgres' ? '$1' : '?'}
           GROUP BY g.name, a.source_kind, a.period_kind, a.year_from, a.year_to`;
}

export interface RawBreakdownRow {
  pname: string;
  source_kind: string;
  period_kind: 'year' | 'range' | 'unprofiled';
  year_from: number | string | null;
  year_to: number | string | null;
  pence: number | string;
  ids: string;
}

const n = (v: number | string) => (typeof v === 'number' ? v : Number(v));

/** Rows to the JSON the route answers: the pure engine and presenter (shared, timed apart in the note). */
export function presentRawBreakdown(code: string, rows: RawBreakdownRow[]) {
  const groups = rows.map((r) => ({
    sourceKind: r.source_kind,
    commitmentStatus: '',
    periodKind: r.period_kind,
    yearFrom: r.year_from === null ? null : n(r.year_from),
    yearTo: r.year_to === null ? null : n(r.year_to),
    themeCode: null,
    projectCode: null,
    poolCode: null,
    capital: true,
    pence: n(r.pence),
    allocationIds: r.ids.split(',').map(Number),
  }));
  return presentBreakdown({
    programme: { code, name: rows[0]?.pname ?? '' },
    filters: { approval: 'approved', includeWithdrawn: false },
    breakdown: breakdown(groups, ['sourceKind', 'year']),
  });
}

/** The programme breakdown over HTTP: the Fastify route vs a bare node:http server on the raw driver. */
export async function measureBreakdownHttp(
  t: BenchTarget,
  baseUrl: string,
  code: string,
  load: { requests: number; concurrency: number },
): Promise<HttpMeasure & { rawQueryMs: number; pureMs: number }> {
  const raw = t.kind === 'postgres' ? openRawPostgresPool(t.env.DATABASE_URL, t.env.DATABASE_SCHEMA) : t.raw;
  const sql = rawBreakdownSql(t.kind);
  try {
    const m = await measureHttp(
      `${baseUrl}/api/programmes/${code}/breakdown?by=sourceKind,year`,
      async () => presentRawBreakdown(code, await raw.all<RawBreakdownRow>(sql, [code])),
      load,
    );
    // The parts of the baseline, for the note: the one statement, and the shared pure functions.
    const rows = await raw.all<RawBreakdownRow>(sql, [code]);
    const [q, p] = await interleave(
      [
        { name: 'raw aggregate', run: () => raw.all(sql, [code]) },
        { name: 'engine + presenter', run: async () => JSON.stringify(presentRawBreakdown(code, rows)) },
      ],
      51,
      5,
    );
    return { ...m, rawQueryMs: q.medianMs, pureMs: p.medianMs };
  } finally {
    if (raw !== t.raw) await raw.close();
  }
}
