import { Command } from 'commander';
import { actAs, asOption } from '../cli/acting-user';
import type { CliContext } from '../cli/cli-context';

/**
 * `demo remove`: once a real programme is entered beside the illustrative demo, an admin removes
 * the demo programme and everything in it. CLI only, beside migrate, seed and restore: a route
 * would be one request away from deleting a whole programme.
 */
export function registerDemoCommands(program: Command, ctx: CliContext): void {
  const demo = program.command('demo').description('The illustrative demo (the 2014 deal and its invented history)');
  asOption(
    demo
      .command('remove')
      .description(
        "Remove the demo programme and every row of it (projects, allocations, spend, milestones, outputs, change requests, returns, headlines), and organisations only it names, in one audited step. Refused while it holds anyone's real work. The audit trail and the seed record stay, so a restart does not load it again.",
      )
      .option('--dry-run', 'list what would be removed, and remove nothing'),
  ).action((o: { as?: string; dryRun?: boolean }) =>
    ctx.run(async () => {
      const [{ DemoModule }, { DemoRemovalService }] = await Promise.all([
        import('./demo.module'),
        import('./demo-removal'),
      ]);
      const actor = await actAs(ctx, [DemoModule], o.as, { command: 'demo remove', roles: ['admin'] });
      const res = await (await ctx.get(DemoRemovalService, [DemoModule])).remove(actor, { dryRun: o.dryRun });
      const rows = Object.entries(res.rows);
      if (!rows.length) {
        ctx.print(`the demo programme ${res.programme} is not in this database: nothing to remove`);
        return;
      }
      ctx.print(
        `${res.removed ? 'removed' : 'would remove (dry run: nothing removed)'} the demo programme ${res.programme}:`,
      );
      for (const [table, n] of rows) ctx.print(`  ${table}\t${n}`);
      if (res.organisations.length) ctx.print(`  organisations only the demo named: ${res.organisations.join(', ')}`);
      if (res.removed) ctx.print('the audit trail keeps its history and this removal');
    }),
  );
}
