import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { projectRoot } from '../common/paths';
import { DashboardService } from '../dashboard/dashboard.service';
import { presentOverview } from '../dashboard/present';
import { NationalReturnService } from '../national-return/national-return.service';
import { measureModuleExport } from './child-rss';
import { bareJsonServer, loadTest } from './http-load';
import { loadNationalBook, workbookValues, writeBookWithExceljs } from './national-baseline';
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

/** The compiled child module (the bench runs from dist; under jest the sources sit beside no .js, so dist is used). */
function childModule(): string {
  const here = join(__dirname, '..', 'national-return', 'national-return.child.js');
  return existsSync(here) ? here : join(projectRoot(), 'dist', 'src', 'national-return', 'national-return.child.js');
}

export interface NationalReturnMeasure {
  app: Sampled;
  baseline: Sampled;
  rows: number;
  /** Peak resident set of a child process that does only the export (kilobytes, VmHWM on Linux), when measured. */
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
      const c = await measureModuleExport(
        childModule(),
        'runNationalExport',
        { quarter: NATIONAL_QUARTER, out: join(dir, 'child.xlsx'), generatedAt: GENERATED_AT },
        { env: { ...t.env, LOG_LEVEL: 'silent' } },
      );
      if ((c.result as { rows: number }).rows !== first.rows)
        throw new BaselineMismatchError(
          `the child export wrote ${(c.result as { rows: number }).rows} rows, the app ${first.rows}`,
        );
      maxRssKb = c.maxRssKb;
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
    assertEqual(appUrl, JSON.parse(a1.firstBody), JSON.parse(b1.firstBody));
    const b2 = await loadTest(`${bare.url}/`, load);
    const a2 = await loadTest(appUrl, load);
    return { appRps: Math.max(a1.perSecond, a2.perSecond), bareRps: Math.max(b1.perSecond, b2.perSecond), ...load };
  } finally {
    await bare.close();
  }
}

/** The dashboard overview of one programme: Fastify route vs bare node:http with the same service call. */
export function measureOverview(
  t: BenchTarget,
  baseUrl: string,
  code: string,
  load: { requests: number; concurrency: number },
): Promise<HttpMeasure> {
  const dash = t.app.get(DashboardService);
  return measureHttp(
    `${baseUrl}/api/programmes/${code}/overview`,
    async () => presentOverview(await dash.overview(code)),
    load,
  );
}
