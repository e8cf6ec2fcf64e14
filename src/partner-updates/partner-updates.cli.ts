import { Command } from 'commander';
import { mkdirSync, writeFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { actAs, asOption, routeRoles } from '../cli/acting-user';
import type { CliContext } from '../cli/cli-context';
import { reportsDir } from '../common/paths';
import type { PartnerUpdatesService } from './partner-updates.service';

async function service(ctx: CliContext): Promise<PartnerUpdatesService> {
  const [{ PartnerUpdatesService }, { PartnerUpdatesModule }] = await Promise.all([
    import('./partner-updates.service'),
    import('./partner-updates.module'),
  ]);
  return ctx.get(PartnerUpdatesService, [PartnerUpdatesModule]);
}

const abs = (p: string) => (isAbsolute(p) ? p : join(process.cwd(), p));

export function registerPartnerUpdateCommands(program: Command, ctx: CliContext): void {
  program
    .command('template')
    .description(
      'Write a delivery partner’s quarterly update template (xlsx), pre-filled with the project’s current figures',
    )
    .requiredOption('--project <code>', 'project code, e.g. ETRURIA')
    .requiredOption('--quarter <quarter>', 'the reporting quarter, e.g. "2016-17 Q4"')
    .option('--programme <code>', 'programme code (needed when there is more than one)')
    .option('--out <file>', 'output file (default: reports/<programme>-<project>-update-<quarter>.xlsx)')
    .action((o: { project: string; quarter: string; programme?: string; out?: string }) =>
      ctx.run(async () => {
        const t = await (await service(ctx)).template(o.programme, o.project, o.quarter);
        const out = o.out ? abs(o.out) : join(reportsDir(), t.filename);
        mkdirSync(dirname(out), { recursive: true });
        writeFileSync(out, t.bytes);
        ctx.print(`partner update template for ${o.project} ${o.quarter} (${t.rows} rows) written to ${out}`);
      }),
    );

  asOption(program.command('import'))
    .description(
      'Import a filled-in partner update (xlsx) into the figures as --as <email>, each figure only for a role the API lets write it (actual spend: finance; forecasts, milestones and outputs: a programme manager of the project; an admin: all): all or nothing, one audit entry. Delivery partners upload the file in the staff pages, into their quarterly update',
    )
    .argument('<file>', 'the xlsx file')
    .option('--project <code>', 'refuse the file unless it is this project’s')
    .option('--quarter <quarter>', 'refuse the file unless it is for this quarter')
    .action((file: string, o: { project?: string; quarter?: string; as?: string }) =>
      ctx.run(async () => {
        // This writes the figures themselves (a server tool for admins and finance), so each
        // figure needs the API route's own roles: the file cannot carry a partner's actual past
        // finance. The project is checked against the user's assignments when the file is read.
        const [{ SpendController }, { MilestonesController }, { OutputsController }, { PartnerUpdatesModule }] =
          await Promise.all([
            import('../spend/spend.controller'),
            import('../milestones/milestones.controller'),
            import('../outputs/outputs.controller'),
            import('./partner-updates.module'),
          ]);
        const roles = {
          actual: await routeRoles(SpendController, 'actual'),
          forecast: await routeRoles(SpendController, 'forecast'),
          milestone: await routeRoles(MilestonesController, 'update'),
          output: await routeRoles(OutputsController, 'addActual'),
        };
        const by = await actAs(ctx, [PartnerUpdatesModule], o.as, {
          command: 'import',
          roles: [...new Set(Object.values(roles).flat())],
          project: o.project,
        });
        const { MAX_XLSX_BYTES, XlsxRejectedError } = await import('../xlsx');
        const path = abs(file);
        const name = basename(file);
        let size: number;
        try {
          size = (await stat(path)).size;
        } catch {
          throw new XlsxRejectedError(`${name} cannot be read`, []);
        }
        // Refused before reading a byte of it.
        if (size > MAX_XLSX_BYTES)
          throw new XlsxRejectedError(`${name} is ${(size / 1024 / 1024).toFixed(1)} MB: the limit is 50 MB`, []);
        const res = await (
          await service(ctx)
        ).import(await readFile(path), name, { project: o.project, quarter: o.quarter }, by, roles);
        ctx.print(
          `imported ${name} for ${res.project} ${res.quarter}: ${res.rows} change${res.rows === 1 ? '' : 's'} applied, ${res.unchanged} row${res.unchanged === 1 ? '' : 's'} unchanged (SHA-256 ${res.sha256})`,
        );
      }),
    );
}
