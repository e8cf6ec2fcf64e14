import { Command } from 'commander';
import { join } from 'node:path';
import { cliActor } from '../auth/actor';
import type { CliContext } from '../cli/cli-context';
import { DEAL_SEED_FILE, seedsDir } from '../common/paths';

export function registerSeedCommands(program: Command, ctx: CliContext): void {
  program
    .command('seed')
    .description(
      'Load a deal seed file (default: the 2014 Stoke-on-Trent and Staffordshire deal). Loading the same seed twice loads nothing.',
    )
    .option('--file <path>', 'seed file', join(seedsDir(), DEAL_SEED_FILE))
    .option('--no-demo', 'do not load the illustrative delivery history after the deal')
    .action((opts: { file: string; demo: boolean }) =>
      ctx.run(async () => {
        const [{ SeedService }, { DealLoadingModule }, { DemoService }, { DemoModule }, { AppConfig }] =
          await Promise.all([
            import('./seed.service'),
            import('./deal-loading.module'),
            import('../demo/demo.service'),
            import('../demo/demo.module'),
            import('../config/config'),
          ]);
        const modules = opts.demo ? [DealLoadingModule, DemoModule] : [DealLoadingModule];
        const seeds = await ctx.get(SeedService, modules);
        const res = await seeds.loadDeal(opts.file, cliActor());
        ctx.print(
          res.loaded
            ? `loaded ${res.name} (${res.programme}): ${res.rows} rows`
            : `${res.name} was already loaded: nothing to do`,
        );
        if (opts.demo && opts.file === join(seedsDir(), DEAL_SEED_FILE)) {
          if ((await ctx.get(AppConfig, modules)).DEMO_DATA) await (await ctx.get(DemoService, modules)).load();
        }
      }),
    );
}
