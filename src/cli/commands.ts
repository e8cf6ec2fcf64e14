import { Command } from 'commander';
import { registerDatabaseCommands } from '../database/database.cli';
import { registerReconciliationCommands } from '../reconciliation/reconciliation.cli';
import { registerSeedCommands } from '../seed/seed.cli';
import { CliContext } from './cli-context';
import { registerGeneratorCommands } from '../generator/generator.cli';
import { registerBenchCommands } from '../bench/bench.cli';

/** Every feature's commands; each feature keeps its own in <feature>/<feature>.cli.ts. */
export const COMMAND_GROUPS: ((program: Command, ctx: CliContext) => void)[] = [
  registerDatabaseCommands,
  registerSeedCommands,
  registerReconciliationCommands,
  registerGeneratorCommands,
  registerBenchCommands,
];
