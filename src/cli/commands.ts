import { Command } from 'commander';
import { registerDatabaseCommands } from '../database/database.cli';
import { registerSeedCommands } from '../seed/seed.cli';
import { CliContext } from './cli-context';
import { registerSpendCommands } from '../spend/spend.cli';
import { registerAuditCommands } from '../audit/audit.cli';

/** Every feature's commands; each feature keeps its own in <feature>/<feature>.cli.ts. */
export const COMMAND_GROUPS: ((program: Command, ctx: CliContext) => void)[] = [
  registerDatabaseCommands,
  registerSeedCommands,
  registerSpendCommands,
  registerAuditCommands,
];
