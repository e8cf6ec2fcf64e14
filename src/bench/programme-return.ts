import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../common/paths';
import { BaselineMismatchError, assertEqual } from './measures';
import { workbookValues } from './national-baseline';
import { cliJs, runCli, runProcess, type ProcessRun } from './cli-process';
import type { BenchTarget } from './targets';
import { interleave, median } from './timing';

/**
 * One programme's quarterly return (issue 17): the real CLI process (`return export`, `return
 * submit`), its time and its peak memory measured from outside (GNU time), against a raw
 * baseline that is a real process too: one statement on the database's own driver streamed
 * into exceljs's WorkbookWriter, the Finance sheet's rows (the return's one big sheet), cell
 * values checked equal to the app's Finance sheet before anything is timed.
 */

/** The generator's first quarter: every programme's first return, open in a fresh dataset. */
export const PROGRAMME_RETURN_QUARTER = '2015-16 Q1';
/** Targets: peak memory held as an absolute; time as a multiple of the raw baseline. */
export const PROGRAMME_RETURN_PEAK_KB = 150 * 1024;
export const PROGRAMME_RETURN_RATIO = 2;

const BENCH_ADMIN = 'bench-admin@example.org';

export interface ProgrammeReturnMeasure {
  code: string;
  quarter: string;
  /** Rows of the Finance sheet (both workbooks; header excluded). */
  financeRows: number;
  exportMs: number;
  submitMs: number;
  baselineMs: number;
  exportPeakKb: number | null;
  submitPeakKb: number | null;
  baselinePeakKb: number | null;
}

/**
 * The Finance sheet's rows in one statement: what the return's finance section shows for a
 * profile line, its Illustrative words included (an illustrative allocation of the line, and
 * illustrative spend figures; change requests are not followed: a dataset with any would fail
 * the equality check, not flatter the app).
 */
export function financeSql(kind: 'sqlite' | 'postgres'): string {
  const [cur, code] = kind === 'postgres' ? ['$1', '$2'] : ['?1', '?2'];
  return `SELECT j.code AS project, s.source_kind AS "sourceKind", s.quarter AS quarter,
      s.baseline_pence AS baseline, s.forecast_pence AS forecast,
      CASE WHEN s.quarter <= ${cur} THEN s.actual_pence END AS actual,
      CASE WHEN s.quarter < ${cur} THEN COALESCE(s.actual_pence, 0) ELSE s.forecast_pence END AS outturn,
      CASE WHEN s.quarter > ${cur} THEN 'after this return: forecast only'
           WHEN s.actual_pence IS NULL THEN 'no actual recorded' END AS note,
      CASE WHEN a.ill = 1 AND s.illustrative THEN 'allocation; spend figures'
           WHEN a.ill = 1 THEN 'allocation'
           WHEN s.illustrative THEN 'spend figures' END AS illustrative
    FROM spend_profile s
    JOIN project j ON j.id = s.project_id
    JOIN programme p ON p.id = s.programme_id
    LEFT JOIN (
      SELECT project_id, source_kind, MAX(CASE WHEN source_illustrative THEN 1 ELSE 0 END) AS ill
        FROM allocation
        WHERE programme_id = (SELECT id FROM programme WHERE code = ${code})
          AND approval_state = 'approved' AND commitment_status <> 'withdrawn' AND project_id IS NOT NULL
        GROUP BY project_id, source_kind
    ) a ON a.project_id = s.project_id AND a.source_kind = s.source_kind
    WHERE p.code = ${code}
    ORDER BY j.code, s.source_kind, s.quarter`;
}

/**
 * The baseline process: the driver's one statement, each row written and committed into a
 * streaming WorkbookWriter (money as numbers with the app's currency format, in column styles).
 */
const BASELINE_SCRIPT = `
  const args = JSON.parse(process.argv[1]);
  const req = (m) => require(require.resolve(m, { paths: [args.root] }));
  const ExcelJS = req('exceljs');
  (async () => {
    let rows;
    if (args.kind === 'postgres') {
      const { Client } = req('pg');
      const c = new Client({ connectionString: args.url });
      await c.connect();
      if (args.schema) await c.query('SET search_path TO "' + args.schema + '"');
      rows = (await c.query({ text: args.sql, values: [args.quarter, args.code], rowMode: 'array' })).rows;
      await c.end();
    } else {
      const sqlite3 = req('sqlite3');
      const db = new sqlite3.Database(args.path, sqlite3.OPEN_READONLY);
      rows = await new Promise((ok, fail) => db.all(args.sql, [args.quarter, args.code], (e, r) => (e ? fail(e) : ok(r.map(Object.values)))));
      await new Promise((ok) => db.close(ok));
    }
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: args.out, useStyles: true, useSharedStrings: false });
    const ws = wb.addWorksheet('Finance');
    ws.columns = args.headers.map((h, i) => ({ header: h, key: 'c' + i, style: args.money.includes(i) ? { numFmt: args.moneyFormat } : {} }));
    const n = (v) => (v === null || v === undefined ? null : Number(v) / 100);
    for (const r of rows) {
      const [project, kind, quarter, baseline, forecast, actual, outturn, note, illustrative] = r;
      ws.addRow([project, kind, quarter, 'profile', null, n(baseline), n(forecast), n(actual), null, n(outturn), note ?? null, illustrative ?? null]).commit();
    }
    ws.commit();
    await wb.commit();
    process.stdout.write(JSON.stringify({ rows: rows.length }) + '\\n');
  })().catch((e) => { console.error(e && e.stack || e); process.exit(1); });`;

const HEADERS = [
  'Project',
  'Source',
  'Quarter',
  'Line',
  'Corrects quarter',
  'Baseline forecast (£)',
  'Latest forecast (£)',
  'Actual (£)',
  'Prior-period adjustment (£)',
  null, // the app's outturn header, read from its own workbook
  'Note',
  'Illustrative',
];
const MONEY = [5, 6, 7, 8, 9];

function cliEnv(t: BenchTarget): Record<string, string | undefined> {
  return { DATABASE_URL: undefined, DATABASE_SCHEMA: undefined, DATABASE_PATH: undefined, ...t.env };
}

async function runBaseline(
  t: BenchTarget,
  code: string,
  out: string,
  headers: string[],
  sql = financeSql(t.kind),
): Promise<ProcessRun> {
  const args = {
    root: projectRoot(),
    kind: t.kind,
    path: t.env.DATABASE_PATH,
    url: t.env.DATABASE_URL,
    schema: t.env.DATABASE_SCHEMA,
    sql,
    quarter: PROGRAMME_RETURN_QUARTER,
    code,
    out,
    headers,
    money: MONEY,
    moneyFormat: '£#,##0.00',
  };
  const r = await runProcess(['-e', BASELINE_SCRIPT, JSON.stringify(args)]);
  if (r.code !== 0) throw new Error(`programme return baseline exited ${r.code}: ${r.stderr.trim().slice(0, 2000)}`);
  return r;
}

/** Removes the programme's submitted versions, so the dataset is as generated for the measures after this one. */
async function unsubmit(t: BenchTarget, code: string): Promise<void> {
  const p = t.kind === 'postgres' ? '$1' : '?';
  for (const table of ['return_version', 'return_comment'])
    await t.raw.all(`DELETE FROM ${table} WHERE programme_id = (SELECT id FROM programme WHERE code = ${p})`, [code]);
}

export async function measureProgrammeReturn(
  t: BenchTarget,
  code: string,
  reps: number,
  /** For tests: another baseline statement (one that writes a different sheet must be refused). */
  opts: { sql?: string } = {},
): Promise<ProgrammeReturnMeasure> {
  const dir = mkdtempSync(join(tmpdir(), 'gdt-programme-return-'));
  const env = cliEnv(t);
  const q = PROGRAMME_RETURN_QUARTER;
  try {
    const appFile = join(dir, 'app.xlsx');
    const baseFile = join(dir, 'baseline.xlsx');
    await runCli(['return', 'export', '--programme', code, '--quarter', q, '--out', appFile], env, false);
    const app = await workbookValues(appFile);
    const fin = app.Finance;
    if (!fin) throw new BaselineMismatchError('the programme return has no Finance sheet');
    const headers = HEADERS.map((h, i) => h ?? String(fin[0][i]));
    await runBaseline(t, code, baseFile, headers, opts.sql);
    const base = (await workbookValues(baseFile)).Finance;
    // The app's sheet ends with its totals rows; the data rows must be the baseline's, cell for cell.
    assertEqual("one programme's return (Finance sheet)", fin.slice(0, base.length), base);
    if (fin.length > base.length && String(fin[base.length][0]).startsWith('Total') === false)
      throw new BaselineMismatchError(
        `the app's Finance sheet has rows the baseline does not: ${fin.length - 1} vs ${base.length - 1}`,
      );

    const peaks = { export: 0, submit: 0, baseline: 0 };
    const note = (k: keyof typeof peaks, r: ProcessRun) => (peaks[k] = Math.max(peaks[k], r.peakKb ?? 0));
    const [exp, bl] = await interleave(
      [
        {
          name: 'return export',
          run: async () =>
            note(
              'export',
              await runCli(['return', 'export', '--programme', code, '--quarter', q, '--out', appFile], env),
            ),
        },
        {
          name: 'raw statement into WorkbookWriter',
          run: async () => note('baseline', await runBaseline(t, code, baseFile, headers, opts.sql)),
        },
      ],
      reps,
      0,
    );

    await runCli(['user', 'create', '--name', 'Bench admin', '--email', BENCH_ADMIN, '--role', 'admin'], env, false);
    // The warnings a submission needs comments on (its own quarter counts as submitted, so they can
    // differ from `return check`'s): named by a refused first try, untimed.
    const submit = ['return', 'submit', '--as', BENCH_ADMIN, '--programme', code, '--quarter', q];
    const refused = await runProcess([cliJs(), ...submit], { LOG_LEVEL: 'silent', ...env }, false);
    const missing = /missing for: ([A-Z_, ]+)/.exec(refused.stderr)?.[1].split(', ') ?? [];
    if (refused.code === 0) await unsubmit(t, code);
    const comments = missing.flatMap((c) => ['--comment', `${c}=bench: measured, not reviewed`]);
    const submitMs: number[] = [];
    for (let i = 0; i < reps; i++) {
      await unsubmit(t, code);
      const r = await runCli([...submit, ...comments], env);
      if (!/xlsx hash [0-9a-f]{64}/.test(r.stdout)) throw new Error(`return submit printed no xlsx hash: ${r.stdout}`);
      note('submit', r);
      submitMs.push(r.ms);
    }
    await unsubmit(t, code);
    return {
      code,
      quarter: q,
      financeRows: base.length - 1,
      exportMs: exp.medianMs,
      submitMs: median(submitMs),
      baselineMs: bl.medianMs,
      exportPeakKb: peaks.export || null,
      submitPeakKb: peaks.submit || null,
      baselinePeakKb: peaks.baseline || null,
    };
  } finally {
    if (!process.env.GDT_KEEP_BENCH_FILES) rmSync(dir, { recursive: true, force: true });
  }
}

/** The two table rows (export, submit): each its real process's time ÷ the baseline's, and its peak memory. */
export function programmeReturnRows(
  m: ProgrammeReturnMeasure,
  db: string,
  projects: number,
  full: boolean,
): {
  db: string;
  projects: number;
  measure: string;
  ratio: number;
  target: string;
  pass: boolean | null;
  appMs: number;
  baselineMs: number;
  equal: boolean;
  status: 'measured';
  maxRssMb: number | null;
  note: string;
}[] {
  const mb = (kb: number | null) => (kb === null ? null : kb / 1024);
  const target = `≤ ${PROGRAMME_RETURN_RATIO}× raw statement into exceljs WorkbookWriter; peak < ${PROGRAMME_RETURN_PEAK_KB / 1024} MB`;
  const row = (measure: string, ms: number, peakKb: number | null, what: string) => {
    const ratio = ms / m.baselineMs;
    return {
      db,
      projects,
      measure,
      ratio,
      target: full ? target : `${target} (reference)`,
      pass: full ? ratio <= PROGRAMME_RETURN_RATIO && peakKb !== null && peakKb < PROGRAMME_RETURN_PEAK_KB : null,
      appMs: ms,
      baselineMs: m.baselineMs,
      equal: true,
      status: 'measured' as const,
      maxRssMb: mb(peakKb),
      note:
        `${m.code} ${m.quarter}: ${what}; Finance sheet ${m.financeRows} rows equal to the baseline's, cell for cell; ` +
        `real processes, peaks from outside (GNU time): app ${peakKb === null ? 'n/a' : `${(peakKb / 1024).toFixed(0)} MB`}, ` +
        `baseline ${m.baselinePeakKb === null ? 'n/a' : `${(m.baselinePeakKb / 1024).toFixed(0)} MB`}`,
    };
  };
  return [
    row("one programme's return export (xlsx, CLI)", m.exportMs, m.exportPeakKb, 'every sheet of the live draft'),
    row(
      "one programme's return submit (CLI)",
      m.submitMs,
      m.submitPeakKb,
      'checks, JSON snapshot and xlsx frozen in one transaction',
    ),
  ];
}
