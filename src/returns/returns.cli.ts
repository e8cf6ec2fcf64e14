import { Command } from 'commander';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { finished } from 'node:stream/promises';
import { cliActor } from '../auth/actor';
import { actAs, asOption } from '../cli/acting-user';
import { useBatchHeap } from '../cli/batch-heap';
import type { CliContext } from '../cli/cli-context';
import { ValidationError } from '../common/errors';
import { reportsDir } from '../common/paths';
import type { ReturnsService } from './returns.service';
import { submissionLines } from './submission-words';

/** The return without its routes: a Nest context of the service and what it uses, no controller or HTTP. */
async function returnsModule() {
  // One programme, read once: SQLite's default page cache (the server's 64 MB would stay in the process).
  (await import('../database/connect')).useSmallSqliteCache();
  return [(await import('./returns-core.module')).ReturnsCoreModule];
}

/** The user a return command acts as, with the roles of the API route doing the same (return-roles.ts). */
async function actor(ctx: CliContext, command: string, method: 'get' | 'submit', o: Target & { as?: string }) {
  const { RETURN_ROLES } = await import('./return-roles');
  return actAs(ctx, await returnsModule(), o.as, {
    command,
    roles: RETURN_ROLES[method],
    programme: o.programme,
  });
}

async function service(ctx: CliContext): Promise<ReturnsService> {
  const { ReturnsService } = await import('./returns.service');
  return ctx.get(ReturnsService, await returnsModule());
}

interface Target {
  programme: string;
  quarter: string;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** "CODE=text" pairs into a comment map; a pair without "=" is refused naming it. */
export function parseComments(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const i = p.indexOf('=');
    if (i <= 0 || !p.slice(i + 1).trim())
      throw new ValidationError([{ field: 'comment', problem: `"${p}" must be CODE=comment text` }]);
    out[p.slice(0, i).trim()] = p.slice(i + 1).trim();
  }
  return out;
}

const isTty = (s: NodeJS.WritableStream) => (s as { isTTY?: boolean }).isTTY === true;

export function registerReturnCommands(program: Command, ctx: CliContext): void {
  const ret = program.command('return').description('Quarterly returns to government: export, check, submit');
  // One-shot commands: a small heap rather than a server's (cli/batch-heap.ts), set before
  // anything heavy loads (loading the modules alone would grow V8's young generation).
  ret.hook('preAction', () => useBatchHeap());

  ret
    .command('export')
    .description('Write the quarter’s return as xlsx: the frozen version once submitted, else the live draft')
    .requiredOption('--programme <code>', 'programme code, e.g. SSLEP-GD-2014')
    .requiredOption('--quarter <quarter>', 'e.g. "2015-16 Q1"')
    .option('--out <file>', 'output file (default: reports/<programme>-return-<quarter>-v<n>.xlsx)')
    .option('--live', 'the live draft even when the quarter has been submitted')
    .action((o: Target & { out?: string; live?: boolean }) =>
      ctx.run(async () => {
        const svc = await service(ctx);
        const e = await svc.exportXlsx(o.programme, o.quarter, !!o.live, cliActor());
        const out = o.out ? (isAbsolute(o.out) ? o.out : join(process.cwd(), o.out)) : join(reportsDir(), e.filename);
        mkdirSync(dirname(out), { recursive: true });
        if (e.bytes) {
          writeFileSync(out, e.bytes);
        } else {
          // A progress bar only on a terminal; scripts and pipes get the one summary line.
          const { SingleBar, Presets } = await import('cli-progress');
          const bar = isTty(ctx.out)
            ? new SingleBar(
                { format: 'writing return |{bar}| {value}/{total} rows', stream: ctx.out as NodeJS.WriteStream },
                Presets.shades_classic,
              )
            : null;
          bar?.start(e.rows, 0);
          const file = createWriteStream(out);
          await e.write!(file, (n) => bar?.update(n));
          await finished(file);
          bar?.update(e.rows);
          bar?.stop();
        }
        ctx.print(`${e.status} return version ${e.version} written to ${out} (content hash ${e.contentHash})`);
      }),
    );

  ret
    .command('list')
    .description(
      'Each quarter’s return: due date, submitted (on time or late), due or overdue against the programme’s as-of date',
    )
    .requiredOption('--programme <code>', 'programme code')
    .action((o: { programme: string }) =>
      ctx.run(async () => {
        const l = await (await service(ctx)).list(o.programme);
        ctx.print(
          `${l.programme}: as of ${l.asOfDate}${l.asOfIsDefault ? ' (today)' : " (the programme's own date)"}; a return is due ${l.returnDueMonths} month${l.returnDueMonths === 1 ? '' : 's'} after its quarter ends; reporting quarter ${l.reportingQuarter}`,
        );
        const latest = new Map(l.items.map((v) => [v.quarter, v.version]));
        for (const r of l.schedule.filter((x) => x.status !== 'future')) {
          const what =
            r.status === 'submitted' || r.status === 'submitted_late'
              ? `submitted ${r.submittedOn}${r.status === 'submitted_late' ? ` (${r.daysLate} days late)` : ''}, version ${latest.get(r.quarter)}`
              : r.status === 'overdue'
                ? `OVERDUE by ${r.daysLate} days`
                : r.status === 'due'
                  ? 'due, not yet submitted'
                  : 'open (the quarter has not ended)';
          ctx.print(`${r.quarter}  due ${r.dueOn}  ${what}`);
        }
        ctx.print(l.overdue.length ? `overdue: ${l.overdue.length} (${l.overdue.join(', ')})` : 'overdue: none');
      }),
    );

  asOption(ret.command('check'))
    .description('Print the live return’s checks ranked (errors, warnings, notes); exit 3 if there are errors')
    .requiredOption('--programme <code>', 'programme code')
    .requiredOption('--quarter <quarter>', 'e.g. "2015-16 Q1"')
    .action((o: Target & { as?: string }) =>
      ctx.run(async () => {
        // Read-only, but the draft it checks is the one a submission would freeze: it names its checker.
        const by = await actor(ctx, 'return check', 'get', o);
        const doc = await (await service(ctx)).checks(o.programme, o.quarter, by);
        const c = doc.cover.checkCounts;
        ctx.print(
          `${doc.cover.programme} ${doc.cover.quarter} (draft version ${doc.cover.version}): ${c.error} errors, ${c.warning} warnings, ${c.note} notes`,
        );
        ctx.print((await import('./checks')).formatChecks(doc.checks));
        if (c.warning) ctx.print('every warning needs a comment when you submit: --comment CODE="text"');
        return c.error ? 3 : 0;
      }),
    );

  asOption(ret.command('submit'))
    .description('Submit the quarter’s return (freezes it and closes the quarter); a resubmission needs --reason')
    .requiredOption('--programme <code>', 'programme code')
    .requiredOption('--quarter <quarter>', 'e.g. "2015-16 Q1"')
    .option('--comment <CODE=text>', 'a written comment on a warning (repeat for each)', collect, [])
    .option('--reason <text>', 'why the quarter is resubmitted (required from version 2)')
    .action((o: Target & { comment: string[]; reason?: string; as?: string }) =>
      ctx.run(async () => {
        const by = await actor(ctx, 'return submit', 'submit', o);
        const svc = await service(ctx);
        const res = await svc.submit(
          o.programme,
          o.quarter,
          { comments: parseComments(o.comment), reason: o.reason },
          by,
        );
        for (const line of submissionLines(res)) ctx.print(line);
        ctx.print(`content hash (JSON snapshot) ${res.contentHash}`);
        ctx.print(`xlsx hash ${res.xlsxSha256}`);
        ctx.print(`reporting quarter is now ${res.reportingQuarter}`);
      }),
    );
}
