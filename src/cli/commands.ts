import { Command } from 'commander';
import { registerAuthCommands } from '../auth/auth.cli';
import { registerBackupCommands } from '../database/backup.cli';
import { registerDatabaseCommands } from '../database/database.cli';
import { registerReconciliationCommands } from '../reconciliation/reconciliation.cli';
import { registerSeedCommands } from '../deal-loading/deal-loading.cli';
import { registerChangesCommands } from '../changes/changes.cli';
import { registerReturnCommands } from '../returns/returns.cli';
import { registerDashboardCommands } from '../briefing.command';
import { CliContext } from './cli-context';
import { registerSpendCommands } from '../spend/spend.cli';
import { registerAuditCommands } from '../audit/audit.cli';
import { registerPartnerUpdateCommands } from '../partner-updates/partner-updates.cli';
import { registerGeneratorCommands } from '../generator/generator.cli';
import { registerBenchCommands } from '../bench/bench.cli';
import { registerNationalReturnCommands } from '../national-return/national-return.cli';
import { registerDemoCommands } from '../demo/demo.cli';

/** Every feature's commands; each feature keeps its own in <feature>/<feature>.cli.ts. */
export const COMMAND_GROUPS: ((program: Command, ctx: CliContext) => void)[] = [
  registerDatabaseCommands,
  registerSeedCommands,
  registerDemoCommands,
  registerReconciliationCommands,
  registerChangesCommands,
  registerReturnCommands,
  registerSpendCommands,
  registerAuditCommands,
  registerAuthCommands,
  registerBackupCommands,
  registerDashboardCommands,
  registerPartnerUpdateCommands,
  registerGeneratorCommands,
  registerBenchCommands,
  registerNationalReturnCommands,
];
