import { spawn } from 'node:child_process';
import { childOutput } from './cli-process';

/**
 * Peak memory of one job: the peak resident set of a child process that does only that job
 * (kilobytes). The child prints one JSON line at the end. On Linux the peak is VmHWM from
 * /proc/self/status, not getrusage's maxRSS: node spawns by fork then exec, and maxRSS keeps
 * the high-water mark of the forked copy, that is the parent's own resident set at spawn time
 * (the benchmark's parent holds whole datasets: the export's peak read 219 MB where the export
 * itself peaked at ~165 MB). Elsewhere maxRSS is the fallback.
 */
export interface ChildMeasure {
  ms: number;
  maxRssKb: number;
  result: unknown;
}

const MARK = '__BENCH_RESULT__';

/** Runs `body` (JS source with `args` in scope, may `await` and `return`) in a fresh node process. */
export async function measureChild(
  body: string,
  args: unknown,
  opts: { env?: Record<string, string>; cwd?: string } = {},
): Promise<ChildMeasure> {
  const script = `
    const args = JSON.parse(process.argv[1]);
    (async () => {
      const t0 = process.hrtime.bigint();
      const result = await (async () => { ${body} })();
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      let peak = process.resourceUsage().maxRSS;
      try {
        const m = /VmHWM:\\s+(\\d+) kB/.exec(require('fs').readFileSync('/proc/self/status', 'utf8'));
        if (m) peak = Number(m[1]);
      } catch {}
      process.stdout.write('\\n${MARK}' + JSON.stringify({ ms, maxRssKb: peak, result }) + '\\n');
    })().catch((e) => { console.error(e && e.stack || e); process.exit(1); });`;
  const child = spawn(process.execPath, ['-e', script, JSON.stringify(args)], {
    cwd: opts.cwd ?? process.cwd(),
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const { code, stdout, stderr } = await childOutput(child);
  const line = stdout.split('\n').find((l) => l.startsWith(MARK));
  if (code !== 0 || !line) throw new Error(`child job failed (exit ${code}): ${stderr.trim().slice(0, 2000)}`);
  return JSON.parse(line.slice(MARK.length)) as ChildMeasure;
}

/** A child that requires a compiled module and awaits one exported function with `args` (the app's export, once it exists). */
export function measureModuleExport(
  modulePath: string,
  exportName: string,
  args: unknown,
  opts: { env?: Record<string, string> } = {},
): Promise<ChildMeasure> {
  return measureChild(
    `return await require(${JSON.stringify(modulePath)})[${JSON.stringify(exportName)}](args);`,
    args,
    opts,
  );
}

/**
 * The national return's baseline: exceljs's streaming WorkbookWriter writing the same rows
 * from memory (args.rowsFile: JSON array of arrays; args.out: xlsx path). Money cells are
 * numbers with a currency format, as in the app's export.
 */
export const EXCELJS_STREAM_BASELINE = `
  const ExcelJS = require('exceljs');
  const rows = JSON.parse(require('fs').readFileSync(args.rowsFile, 'utf8'));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: args.out, useStyles: true, useSharedStrings: false });
  const ws = wb.addWorksheet('Finance');
  ws.columns = args.header.map((h, i) => ({ header: h, key: 'c' + i, style: args.moneyColumns.includes(i) ? { numFmt: '"£"#,##0.00' } : {} }));
  for (const r of rows) ws.addRow(r).commit();
  ws.commit();
  await wb.commit();
  return { rows: rows.length };
`;
