import { Command } from 'commander';
import { registerDatabaseCommands } from '../database/database.cli';
import { registerReconciliationCommands } from '../reconciliation/reconciliation.cli';
import { registerSeedCommands } from '../seed/seed.cli';
import { registerChangesCommands } from '../changes/changes.cli';
import { registerReturnCommands } from '../returns/returns.cli';
import { CliContext } from './cli-context';
import { registerSpendCommands } from '../spend/spend.cli';
import { registerAuditCommands } from '../audit/audit.cli';
import { registerPartnerUpdateCommands } from '../partner-updates/partner-updates.cli';

/** Every feature's commands; each feature keeps its own in <feature>/<feature>.cli.ts. */
export const COMMAND_GROUPS: ((program: Command, ctx: CliContext) => void)[] = [
  registerDatabaseCommands,
  registerSeedCommands,
  registerReconciliationCommands,
  registerChangesCommands,
  registerReturnCommands,
  registerSpendCommands,
  registerAuditCommands,
  registerPartnerUpdateCommands,
];
