import { Command } from 'commander';
import { positiveInt, progressFor } from '../cli/progress';
import { cliActor } from '../auth/actor';
import type { CliContext } from '../cli/cli-context';

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
