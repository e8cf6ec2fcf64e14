import { Command } from 'commander';
import { CliContext } from '../cli/cli-context';
import { loadConfig } from '../config/config';
import { openDataSource, runMigrations } from './connect';

export function registerDatabaseCommands(program: Command, ctx: CliContext): void {
  program
    .command('migrate')
    .description('Apply pending database migrations (the server also does this at start)')
    .action(() =>
      ctx.run(async () => {
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
