import { Command } from 'commander';
import { mkdirSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import type { CliContext } from '../cli/cli-context';
import { formatPounds } from '../common/money';
import { reportsDir } from '../common/paths';
import { progressFor } from '../cli/progress';

/** `return national`: added to the returns command group (registered after it). */
export function registerNationalReturnCommands(program: Command, ctx: CliContext): void {
  const ret =
    program.commands.find((c) => c.name() === 'return') ??
    program.command('return').description('Quarterly returns to government');
  ret
    .command('national')
    .description(
      'Write one workbook for every programme in the database for one quarter: a row per project × source, with exact totals (streamed)',
    )
    .requiredOption('--quarter <quarter>', 'e.g. "2016-17 Q1"')
    .option('--out <file>', 'output file (default: reports/national-<quarter>.xlsx)')
    .action((o: { quarter: string; out?: string }) =>
      ctx.run(async () => {
        const [{ NationalReturnService }, { NationalReturnModule }] = await Promise.all([
          import('./national-return.service'),
          import('./national-return.module'),
        ]);
        const svc = await ctx.get(NationalReturnService, [NationalReturnModule]);
        const out = o.out
          ? isAbsolute(o.out)
            ? o.out
            : join(process.cwd(), o.out)
          : join(reportsDir(), `national-${o.quarter.replace(/\s+/g, '-')}.xlsx`);
        mkdirSync(dirname(out), { recursive: true });
        const bar = progressFor(ctx.err, 'national return');
        const res = await svc.exportToFile(out, o.quarter, { onProgress: (n) => bar.update(n, n) }).finally(bar.stop);
        const total = res.sheets.find((s) => s.name === 'Finance')!.totals[0].values;
        ctx.print(`national return ${res.quarter}: ${res.programmes} programmes, ${res.rows} rows written to ${out}`);
        ctx.print(
          `total allocation £${formatPounds(total.allocation)}, actual to date £${formatPounds(total.actualToDate)}`,
        );
      }),
    );
}
