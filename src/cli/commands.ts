import { Command } from 'commander';
import { registerDatabaseCommands } from '../database/database.cli';
import { registerSeedCommands } from '../seed/seed.cli';
import { registerDashboardCommands } from '../dashboard/dashboard.cli';
import { CliContext } from './cli-context';

/** Every feature's commands; each feature keeps its own in <feature>/<feature>.cli.ts. */
export const COMMAND_GROUPS: ((program: Command, ctx: CliContext) => void)[] = [
  registerDatabaseCommands,
  registerSeedCommands,
  registerDashboardCommands,
];
