import { Command } from 'commander';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { actAs, asOption, routeRoles } from '../cli/acting-user';
import type { CliContext } from '../cli/cli-context';
import { ValidationError } from '../common/errors';
import { displayPounds, parsePounds } from '../common/money';
import type { ImportedActual } from './spend.service';

const money = (pounds: string) => displayPounds(parsePounds(pounds));

/** A CSV line read back: the amount as parsed, and what it does to the recorded figure. */
function actualLine(l: ImportedActual): string {
  const what =
    l.outcome === 'new'
      ? 'new'
      : l.outcome === 'unchanged'
        ? 'unchanged'
        : `replaces ${money(l.before!)} → ${money(l.actual)}`;
  return `line ${l.line}\t${l.project}\t${l.sourceKind}\t${l.quarter}\t${money(l.actual)}\t${what}`;
}

export function registerSpendCommands(program: Command, ctx: CliContext): void {
  const actuals = program.command('actuals').description('Actual spend');
  asOption(actuals.command('import <file>'))
    .description(
      'Import actuals from a CSV (project,sourceKind,quarter,actual[,note]); every parsed amount is shown back; all rows or none; a recorded figure is replaced only with --replace; one audit entry with the row count and the file SHA-256',
    )
    .option('--programme <code>', 'programme code (default: the only programme)')
    .option('--replace', 'replace actuals already recorded (each is listed old → new)')
    .action((file: string, opts: { programme?: string; as?: string; replace?: boolean }) =>
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
            { replace: opts.replace === true },
          );
          for (const l of res.lines) ctx.print(actualLine(l));
          ctx.print(
            `imported ${res.rows} actual${res.rows === 1 ? '' : 's'} into ${res.programme} from ${basename(file)} (sha256 ${sha256})`,
          );
        } catch (e) {
          if (e instanceof ValidationError) {
            const lines = (e as { lines?: ImportedActual[] }).lines;
            if (lines) for (const l of lines) ctx.print(actualLine(l));
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
