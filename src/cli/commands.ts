import { Command } from 'commander';
import { registerAuthCommands } from '../auth/auth.cli';
import { registerBackupCommands } from '../database/backup.cli';
import { registerDatabaseCommands } from '../database/database.cli';
import { registerSeedCommands } from '../seed/seed.cli';
import { CliContext } from './cli-context';

/** Every feature's commands; each feature keeps its own in <feature>/<feature>.cli.ts. */
export const COMMAND_GROUPS: ((program: Command, ctx: CliContext) => void)[] = [
  registerDatabaseCommands,
  registerSeedCommands,
  registerAuthCommands,
  registerBackupCommands,
];
