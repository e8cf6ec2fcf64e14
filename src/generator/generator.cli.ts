import { Command, InvalidArgumentError } from 'commander';
import { cliActor } from '../auth/actor';
import type { CliContext } from '../cli/cli-context';

export function positiveInt(name: string) {
  return (v: string): number => {
    if (!/^[0-9]+$/.test(v) || Number(v) < 1 || !Number.isSafeInteger(Number(v)))
      throw new InvalidArgumentError(`${name} must be a whole number of at least 1`);
    return Number(v);
  };
}

/** A progress bar on a terminal; nothing at all when output is piped or captured. */
export function progressFor(
  stream: NodeJS.WritableStream,
  label: string,
): { update: (done: number, total: number) => void; stop: () => void } {
  if (!(stream as { isTTY?: boolean }).isTTY) return { update: () => undefined, stop: () => undefined };
  // Loaded only on a terminal: the bar's width handling pulls in several packages.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { SingleBar } = require('cli-progress') as typeof import('cli-progress');
  const bar = new SingleBar({
    format: `${label} [{bar}] {percentage}% | {value}/{total} rows | {eta}s`,
    stream: stream as NodeJS.WriteStream,
    hideCursor: true,
  });
  let started = false;
  return {
    update(done, total) {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.setTotal(Math.max(total, done));
      bar.update(done);
    },
    stop: () => started && bar.stop(),
  };
}

export function registerGeneratorCommands(program: Command, ctx: CliContext): void {
  program
    .command('generate')
    .description(
      'Generate a deterministic synthetic national dataset (every programme flagged synthetic) and load it through the bulk import path. The same parameters load once.',
    )
    .option('--leps <n>', 'number of LEPs', positiveInt('--leps'), 39)
    .option('--projects <n>', 'projects across all LEPs', positiveInt('--projects'), 6000)
    .option('--quarters <n>', 'quarters of delivery from 2015-16 Q1', positiveInt('--quarters'), 40)
    .option('--seed <n>', 'PRNG seed: the same seed gives the same data', positiveInt('--seed'), 1)
    .action((opts: { leps: number; projects: number; quarters: number; seed: number }) =>
      ctx.run(async () => {
        const [{ GeneratorService }, { GeneratorModule }] = await Promise.all([
          import('./generator.service'),
          import('./generator.module'),
        ]);
        const gen = await ctx.get(GeneratorService, [GeneratorModule]);
        const bar = progressFor(ctx.err, 'generate');
        const t0 = process.hrtime.bigint();
        const res = await gen.generate(opts, cliActor(), bar.update).finally(bar.stop);
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        if (!res.loaded) {
          ctx.print(`${res.name} was already loaded: nothing to do`);
          return;
        }
        const delivery = Object.entries(res.delivery).map(([k, v]) => `${k} ${v}`);
        ctx.print(
          `generated ${res.name}: ${res.programmes.length} programmes, ${res.projects} projects, ${res.allocations} allocations, ${res.rows} rows in ${(ms / 1000).toFixed(1)} s` +
            `\nquarters: ${res.plan.quarters[0]} to ${res.plan.quarters[res.plan.quarters.length - 1]}; delivery rows: ${delivery.length ? delivery.join(', ') : 'none yet (no delivery generators registered)'}` +
            `\ncontent sha256: ${res.sha256}`,
        );
      }),
    );
}
