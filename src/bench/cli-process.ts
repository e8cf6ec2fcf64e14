import { ChildProcessByStdio, spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../common/paths';
import { interleave, Sampled } from './timing';

/** The compiled CLI (the bench runs from dist; under jest the sources sit beside no .js, so dist is used). */
export function cliJs(): string {
  const here = join(__dirname, '..', 'cli.js');
  return existsSync(here) ? here : join(projectRoot(), 'dist', 'src', 'cli.js');
}

export interface ProcessRun {
  code: number | null;
  ms: number;
  stdout: string;
  stderr: string;
  /** Peak resident set of the process itself (kB), read from outside: GNU time's %M (wait4's maxRSS of its own child). */
  peakKb: number | null;
}

const TIME = '/usr/bin/time';
const MARK = '__GDT_PEAK__';

/**
 * Runs a real process and reports its wall time and, when GNU time is installed, its peak
 * memory measured from outside: time forks a small process that execs node, so the maxRSS it
 * reports is node's own (not a fork of the benchmark's large resident set).
 */
export async function runProcess(
  args: string[],
  env: Record<string, string | undefined> = {},
  withPeak = true,
): Promise<ProcessRun> {
  const measured = withPeak && existsSync(TIME);
  const [cmd, argv] = measured ? [TIME, ['-f', `${MARK}%M`, process.execPath, ...args]] : [process.execPath, args];
  const t0 = process.hrtime.bigint();
  // An undefined value removes the variable (a SQLite run must not inherit a PostgreSQL URL).
  const merged = Object.fromEntries(Object.entries({ ...process.env, ...env }).filter(([, v]) => v !== undefined));
  const { code, stdout, stderr } = await childOutput(
    spawn(cmd, argv, { env: merged, stdio: ['ignore', 'pipe', 'pipe'] }),
  );
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const m = new RegExp(`${MARK}(\\d+)`).exec(stderr);
  return {
    code,
    ms,
    stdout,
    stderr: stderr.replace(new RegExp(`${MARK}\\d+\\n?`), ''),
    peakKb: m ? Number(m[1]) : null,
  };
}

/** A child's whole output and exit code once it closes; rejects only when it cannot start. */
export function childOutput(
  child: ChildProcessByStdio<null, Readable, Readable>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((ok, fail) => {
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('error', fail);
    child.on('close', (code) => ok({ code, stdout, stderr }));
  });
}

/** Runs a CLI command as a real process; a non-zero exit is an error (the measurement would be of a failure). */
export async function runCli(
  args: string[],
  env: Record<string, string | undefined>,
  withPeak = true,
): Promise<ProcessRun> {
  const r = await runProcess([cliJs(), ...args], { LOG_LEVEL: 'silent', ...env }, withPeak);
  if (r.code !== 0) throw new Error(`cli ${args.join(' ')} exited ${r.code}: ${r.stderr.trim().slice(0, 2000)}`);
  return r;
}

export interface CliStartup {
  node: Sampled;
  help: Sampled;
  reconcile: Sampled;
  reconcilePeakKb: number;
}

/** The start-up targets of issue 17, as multiples of `node -e 0` measured in the same run. */
export const CLI_STARTUP_TARGETS = { help: 5, reconcile: 15 } as const;

/** What the report keeps of a start-up run: medians of the alternated rounds and their ratios. */
export interface CliStartupSummary {
  rounds: number;
  medianMs: { node: number; help: number; reconcile: number };
  /** Each command's median ÷ `node -e 0`'s median. */
  ratio: { help: number; reconcile: number };
  target: { help: number; reconcile: number };
  pass: { help: boolean; reconcile: boolean };
  reconcilePeakMb: number;
}

export function cliStartupSummary(cli: CliStartup): CliStartupSummary {
  const node = cli.node.medianMs;
  const ratio = { help: cli.help.medianMs / node, reconcile: cli.reconcile.medianMs / node };
  return {
    rounds: cli.node.samplesMs.length,
    medianMs: { node, help: cli.help.medianMs, reconcile: cli.reconcile.medianMs },
    ratio,
    target: { ...CLI_STARTUP_TARGETS },
    pass: { help: ratio.help <= CLI_STARTUP_TARGETS.help, reconcile: ratio.reconcile <= CLI_STARTUP_TARGETS.reconcile },
    reconcilePeakMb: cli.reconcilePeakKb / 1024,
  };
}

/** One line for the terminal table: the three medians and the two ratios against their targets. */
export function cliStartupLine(s: CliStartupSummary): string {
  const ms = (v: number) => `${v.toFixed(0)} ms`;
  const r = (k: 'help' | 'reconcile') =>
    `${s.ratio[k].toFixed(2)}× (target ≤ ${s.target[k]}×: ${s.pass[k] ? 'ok' : 'OVER TARGET'})`;
  return (
    `CLI start-up, real processes, medians of ${s.rounds} alternated rounds: node -e 0 ${ms(s.medianMs.node)}; ` +
    `--help ${ms(s.medianMs.help)}, ${r('help')}; reconcile (2014 deal) ${ms(s.medianMs.reconcile)}, ${r('reconcile')}. ` +
    'The ratios are the measure: absolute times follow the machine’s load.'
  );
}

/**
 * Start-up of real CLI processes against `node -e 0`, alternating in one run: `--help`, and
 * `reconcile` of the 2014 deal on a SQLite file seeded once by the CLI itself. The reconcile
 * output is checked before timing (the 2014 deal's report, in JSON).
 */
export async function measureCliStartup(reps: number): Promise<CliStartup> {
  const dir = mkdtempSync(join(tmpdir(), 'gdt-cli-bench-'));
  const clean = { DATABASE_PATH: join(dir, 'cli.sqlite'), DATABASE_URL: undefined, DATABASE_SCHEMA: undefined };
  try {
    await runCli(['seed', '--no-demo'], clean, false);
    const check = await runCli(['reconcile', '--programme', 'SSLEP-GD-2014', '--format', 'json'], clean);
    const report = JSON.parse(check.stdout) as { programme: { code: string }; lines: unknown[] };
    if (report.programme.code !== 'SSLEP-GD-2014' || report.lines.length === 0)
      throw new Error('cli reconcile did not print the 2014 deal’s reconciliation');
    const help = await runCli(['--help'], clean, false);
    if (!/\breconcile\b/.test(help.stdout)) throw new Error('cli --help did not list the commands');
    let peak = check.peakKb ?? 0;
    const [node, h, rec] = await interleave(
      [
        { name: 'node -e 0', run: () => runProcess(['-e', '0'], {}, false) },
        { name: 'cli --help', run: () => runCli(['--help'], clean, false) },
        {
          name: 'cli reconcile',
          run: async () => {
            const r = await runCli(['reconcile', '--programme', 'SSLEP-GD-2014'], clean);
            peak = Math.max(peak, r.peakKb ?? 0);
          },
        },
      ],
      reps,
      1,
    );
    return { node, help: h, reconcile: rec, reconcilePeakKb: peak };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
