import { Command } from 'commander';
import type { CliContext } from '../cli/cli-context';

const load = () => Promise.all([import('../config/config'), import('./backup')]);

/** Backup and restore work on the SQLite file only: with DATABASE_URL set they print the pg_dump hint (exit 2). */
function onSqlite(ctx: CliContext, job: (path: string, backup: Awaited<ReturnType<typeof load>>[1]) => Promise<void>) {
  return ctx.run(async () => {
    const [{ loadConfig }, backup] = await load();
    const cfg = loadConfig();
    if (cfg.DATABASE_URL) {
      ctx.err.write(`${backup.PG_DUMP_HINT}\n`);
      return 2;
    }
    await job(cfg.DATABASE_PATH, backup);
  });
}

export function registerBackupCommands(program: Command, ctx: CliContext): void {
  program
    .command('backup')
    .description(
      'Write a consistent copy of the SQLite database while the server runs (PostgreSQL: use pg_dump, see docs/reliability.md)',
    )
    .requiredOption('--out <file>', 'the backup file to create (must not exist)')
    .action((o: { out: string }) =>
      onSqlite(ctx, async (path, { backupSqlite }) => {
        const r = await backupSqlite(path, o.out);
        ctx.print(`backed up ${path} to ${o.out} (${r.bytes} bytes, integrity ok)`);
      }),
    );
  program
    .command('restore')
    .description(
      'Replace the SQLite database with a backup, after checking it is an intact tracker database at this version. Stop the server first.',
    )
    .requiredOption('--from <file>', 'a file written by backup')
    .option('--force', 'restore even though the database looks open (its -wal file exists)', false)
    .action((o: { from: string; force: boolean }) =>
      onSqlite(ctx, async (path, { restoreSqlite }) => {
        const r = await restoreSqlite(o.from, path, o.force);
        ctx.print(`restored ${o.from} to ${path} (${r.migrations.length} migrations applied)`);
      }),
    );
}
