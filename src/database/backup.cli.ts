import { Command } from 'commander';
import type { CliContext } from '../cli/cli-context';

const load = () => Promise.all([import('../config/config'), import('./backup')]);

export function registerBackupCommands(program: Command, ctx: CliContext): void {
  program
    .command('backup')
    .description(
      'Write a consistent copy of the SQLite database while the server runs (PostgreSQL: use pg_dump, see docs/reliability.md)',
    )
    .requiredOption('--out <file>', 'the backup file to create (must not exist)')
    .action((o: { out: string }) =>
      ctx.run(async () => {
        const [{ loadConfig }, { backupSqlite, PG_DUMP_HINT }] = await load();
        const cfg = loadConfig();
        if (cfg.DATABASE_URL) {
          ctx.err.write(`${PG_DUMP_HINT}\n`);
          return 2;
        }
        const r = await backupSqlite(cfg.DATABASE_PATH, o.out);
        ctx.print(`backed up ${cfg.DATABASE_PATH} to ${o.out} (${r.bytes} bytes, integrity ok)`);
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
      ctx.run(async () => {
        const [{ loadConfig }, { restoreSqlite, PG_DUMP_HINT }] = await load();
        const cfg = loadConfig();
        if (cfg.DATABASE_URL) {
          ctx.err.write(`${PG_DUMP_HINT}\n`);
          return 2;
        }
        const r = await restoreSqlite(o.from, cfg.DATABASE_PATH, o.force);
        ctx.print(`restored ${o.from} to ${cfg.DATABASE_PATH} (${r.migrations.length} migrations applied)`);
      }),
    );
}
