import { Command, Option } from 'commander';
import type { CliContext } from '../cli/cli-context';

/** The service (and its module only) and the presenters, loaded when a command runs. */
async function load(ctx: CliContext): Promise<{
  svc: ReconciliationService;
  present: typeof import('./reconciliation-present');
  text: typeof import('./text-report');
}> {
  const [{ ReconciliationService }, { ReconciliationCoreModule }, present, text] = await Promise.all([
    import('./reconciliation.service'),
    import('./reconciliation-core.module'),
    import('./reconciliation-present'),
    import('./text-report'),
  ]);
  return { svc: await ctx.get(ReconciliationService, [ReconciliationCoreModule]), present, text };
}
import { APPROVAL_FILTERS, type ApprovalFilter } from './breakdown.queries';
import type { ReconciliationService } from './reconciliation.service';

type OutFormat = 'table' | 'json' | 'csv';
const formatOption = () =>
  new Option('--format <format>', 'table (readable), json (amounts as two-place pound strings) or csv')
    .choices(['table', 'json', 'csv'])
    .default('table');

export function registerReconciliationCommands(program: Command, ctx: CliContext): void {
  program
    .command('reconcile')
    .description(
      'Every headline figure of a programme against the allocations it covers. Exit 0 whatever the statuses; with --strict, 3 when anything is unreconciled or not met.',
    )
    .requiredOption('--programme <code>', 'programme code, e.g. SSLEP-GD-2014')
    .addOption(formatOption())
    .option('--strict', 'exit 3 when any line is unreconciled or not_met')
    .action((opts: { programme: string; format: OutFormat; strict?: boolean }) =>
      ctx.run(async () => {
        const { svc, present, text } = await load(ctx);
        const r = await svc.reconciliation(opts.programme);
        if (opts.format === 'json') ctx.print(JSON.stringify(present.presentReconciliation(r), null, 2));
        else if (opts.format === 'csv') ctx.out.write(present.reconciliationCsv(r));
        else ctx.print(text.reconciliationTable(r));
        const failing = r.report.summary.byStatus.unreconciled + r.report.summary.byStatus.not_met;
        return opts.strict && failing > 0 ? 3 : 0;
      }),
    );

  program
    .command('breakdown')
    .description(
      'Allocations summed by dimensions (sourceKind, status, year, theme, project); the last of two or more is the columns.',
    )
    .requiredOption('--programme <code>', 'programme code, e.g. SSLEP-GD-2014')
    .option('--by <dimensions>', 'comma-separated dimensions', 'sourceKind')
    .addOption(new Option('--approval <state>', 'which allocations').choices([...APPROVAL_FILTERS]).default('approved'))
    .option('--include-withdrawn', 'count withdrawn allocations too')
    .addOption(formatOption())
    .action(
      (opts: {
        programme: string;
        by: string;
        approval: ApprovalFilter;
        includeWithdrawn?: boolean;
        format: OutFormat;
      }) =>
        ctx.run(async () => {
          const { svc, present, text } = await load(ctx);
          // The command line is a trusted local user: drafts may be shown.
          const r = await svc.breakdown(
            opts.programme,
            opts.by,
            { approval: opts.approval, includeWithdrawn: opts.includeWithdrawn === true },
            true,
          );
          if (opts.format === 'json') ctx.print(JSON.stringify(present.presentBreakdown(r), null, 2));
          else if (opts.format === 'csv') ctx.out.write(present.breakdownCsv(r));
          else ctx.print(text.breakdownTable(r));
        }),
    );

  program
    .command('national-breakdown')
    .description(
      "Every programme's allocations summed by national dimensions (sourceKind, status, year); the last of two or more is the columns.",
    )
    .option('--by <dimensions>', 'comma-separated dimensions', 'sourceKind,year')
    .addOption(new Option('--approval <state>', 'which allocations').choices([...APPROVAL_FILTERS]).default('approved'))
    .option('--include-withdrawn', 'count withdrawn allocations too')
    .addOption(formatOption())
    .action((opts: { by: string; approval: ApprovalFilter; includeWithdrawn?: boolean; format: OutFormat }) =>
      ctx.run(async () => {
        const { svc, present, text } = await load(ctx);
        const filter = { approval: opts.approval, includeWithdrawn: opts.includeWithdrawn === true };
        const r = await svc.nationalBreakdown(opts.by, filter, true);
        if (opts.format === 'json') ctx.print(JSON.stringify(present.presentNationalBreakdown(r), null, 2));
        else if (opts.format === 'csv') ctx.out.write(present.breakdownCsv(r, false));
        else ctx.print(text.breakdownTable(r));
      }),
    );
}
