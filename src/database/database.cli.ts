import { Command } from 'commander';
import type { CliContext } from '../cli/cli-context';

export function registerDatabaseCommands(program: Command, ctx: CliContext): void {
  program
    .command('migrate')
    .description('Apply pending database migrations (the server also does this at start)')
    .action(() =>
      ctx.run(async () => {
        const [{ loadConfig }, { openDataSource, runMigrations }] = await Promise.all([
          import('../config/config'),
          import('./connect'),
        ]);
        const ds = await openDataSource(loadConfig());
        try {
          const done = await runMigrations(ds);
          ctx.print(done.length ? `applied: ${done.join(', ')}` : 'database is up to date');
        } finally {
          await ds.destroy();
        }
      }),
    );
}
