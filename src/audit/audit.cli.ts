import { Command } from 'commander';
import type { CliContext } from '../cli/cli-context';

export function registerAuditCommands(program: Command, ctx: CliContext): void {
  program
    .command('audit')
    .description('Show the audit trail (newest first): who, when, what, before and after')
    .requiredOption('--programme <code>', 'programme code')
    .option('--project <code>', 'only this project')
    .option('--limit <n>', 'entries to show (1-500)', '50')
    .option('--json', 'print JSON')
    .action((opts: { programme: string; project?: string; limit: string; json?: boolean }) =>
      ctx.run(async () => {
        const [{ AuditTrailService }, { AuditTrailModule }] = await Promise.all([
          import('./audit-trail.service'),
          import('./audit-trail.module'),
        ]);
        const svc = await ctx.get(AuditTrailService, [AuditTrailModule]);
        const limit = Math.min(500, Math.max(1, Number.parseInt(opts.limit, 10) || 50));
        const res = await svc.list(opts.programme, opts.project, { limit, offset: 0 });
        if (opts.json) return ctx.print(JSON.stringify(res, null, 2));
        ctx.print(
          `${res.total} entr${res.total === 1 ? 'y' : 'ies'}${opts.project ? ` for ${opts.project}` : ''} in ${opts.programme}; newest ${res.items.length}:`,
        );
        for (const a of res.items) {
          ctx.print(
            `${a.at}  ${a.actor}  ${a.action} ${a.entity}${a.entityId ? ` ${a.entityId}` : ''}${a.project ? ` [${a.project}]` : ''}  before=${JSON.stringify(a.before)} after=${JSON.stringify(a.after)}${a.meta ? ` meta=${JSON.stringify(a.meta)}` : ''}`,
          );
        }
      }),
    );
}
