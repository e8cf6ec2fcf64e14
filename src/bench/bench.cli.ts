import { Command, InvalidArgumentError, Option } from 'commander';
import { join } from 'node:path';
import type { CliContext } from '../cli/cli-context';
import { positiveInt, progressFor } from '../cli/progress';

interface BenchCliOptions {
  projects?: number;
  scalingProjects?: number;
  middleProjects?: number[];
  db: 'sqlite' | 'postgres' | 'both';
  quick?: boolean;
  leps: number;
  quarters: number;
  seed: number;
  out: string;
  pgUrl?: string;
}

export function registerBenchCommands(program: Command, ctx: CliContext): void {
  program
    .command('bench')
    .description(
      'Generate datasets and measure the app against raw baselines side by side: reconciliation, breakdowns, the national return (time and the real CLI process’s peak memory), HTTP routes, bulk import, CLI start-up. Prints a table and writes JSON.',
    )
    .option(
      '--projects <n>',
      'projects in the main dataset (default 6000; 200 with --quick)',
      positiveInt('--projects'),
    )
    .option(
      '--scaling-projects <n>',
      'projects in the smaller dataset for the growth row (default a tenth of --projects)',
      positiveInt('--scaling-projects'),
    )
    .option(
      '--middle-projects <list>',
      'comma-separated sizes between the two, for the growth fit (default: a third of --projects)',
      (v: string) => v.split(',').map((x) => positiveInt('--middle-projects')(x.trim())),
    )
    .addOption(
      new Option('--db <which>', 'databases to measure').choices(['sqlite', 'postgres', 'both']).default('both'),
    )
    .option('--quick', 'few repetitions, small datasets: a smoke run, not a measurement')
    .option('--leps <n>', 'LEPs in the generated datasets', positiveInt('--leps'), 39)
    .option('--quarters <n>', 'quarters in the generated datasets', positiveInt('--quarters'), 40)
    .option('--seed <n>', 'generator seed', positiveInt('--seed'), 1)
    .option('--out <path>', 'where the JSON report goes', join('reports', 'bench', 'latest.json'))
    .option('--pg-url <url>', 'PostgreSQL database for fresh bench schemas', 'postgres://postgres@127.0.0.1:5432/test')
    .action((opts: BenchCliOptions) =>
      ctx.run(async () => {
        const projects = opts.projects ?? (opts.quick ? 200 : 6000);
        const scalingProjects = opts.scalingProjects ?? Math.max(1, Math.round(projects / 10));
        if (scalingProjects >= projects)
          throw new InvalidArgumentError('--scaling-projects must be smaller than --projects');
        const tty = (ctx.err as { isTTY?: boolean }).isTTY === true;
        const [{ runBench }, { benchTable, writeReport }] = await Promise.all([import('./runner'), import('./report')]);
        const report = await runBench({
          projects,
          scalingProjects,
          middleProjects: opts.middleProjects ?? [Math.round(projects / 3)],
          dbs: opts.db === 'both' ? ['sqlite', 'postgres'] : [opts.db],
          quick: opts.quick === true,
          leps: opts.leps,
          quarters: opts.quarters,
          seed: opts.seed,
          pgUrl: opts.pgUrl,
          log: tty ? (l) => ctx.err.write(`${l}\n`) : undefined,
          onProgress: (label) => {
            const bar = progressFor(ctx.err, label);
            return (d, t) => (d >= t ? bar.stop() : bar.update(d, t));
          },
        });
        writeReport(report, opts.out);
        ctx.print(benchTable(report));
        ctx.print(`written ${opts.out}`);
        return report.allWithinTarget ? 0 : 3;
      }),
    );
}
