import { Command } from 'commander';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { actAs, asOption, routeRoles } from '../cli/acting-user';
import type { CliContext } from '../cli/cli-context';
import { ValidationError } from '../common/errors';

export function registerSpendCommands(program: Command, ctx: CliContext): void {
  const actuals = program.command('actuals').description('Actual spend');
  asOption(actuals.command('import <file>'))
    .description(
      'Import actuals from a CSV (project,sourceKind,quarter,actual[,note]); all rows or none; one audit entry with the row count and the file SHA-256',
    )
    .option('--programme <code>', 'programme code (default: the only programme)')
    .action((file: string, opts: { programme?: string; as?: string }) =>
      ctx.run(async () => {
        const [{ SpendService }, { SpendModule }, { SpendController }] = await Promise.all([
          import('./spend.service'),
          import('./spend.module'),
          import('./spend.controller'),
        ]);
        // Each line is what `PUT .../spend/actual` does: that route's roles.
        const by = await actAs(ctx, [SpendModule], opts.as, {
          command: 'actuals import',
          roles: await routeRoles(SpendController, 'actual'),
          programme: opts.programme,
        });
        let raw: Buffer;
        try {
          raw = readFileSync(file);
        } catch (e) {
          throw new ValidationError([{ field: 'file', problem: `cannot be read: ${(e as Error).message}` }]);
        }
        const sha256 = createHash('sha256').update(raw).digest('hex');
        const svc = await ctx.get(SpendService, [SpendModule]);
        try {
          const res = await svc.importActualsCsv(
            opts.programme,
            raw.toString('utf8'),
            { name: basename(file), sha256 },
            by,
          );
          ctx.print(
            `imported ${res.rows} actual${res.rows === 1 ? '' : 's'} into ${res.programme} from ${basename(file)} (sha256 ${sha256})`,
          );
        } catch (e) {
          if (e instanceof ValidationError) {
            for (const p of e.problems) ctx.err.write(`${p.field}: ${p.problem}\n`);
            ctx.err.write(
              `nothing imported: ${e.problems.length} problem${e.problems.length === 1 ? '' : 's'} in ${basename(file)}\n`,
            );
            return 2;
          }
          throw e;
        }
      }),
    );
}
