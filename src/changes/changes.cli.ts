import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { actAs, asOption, routeRoles } from '../cli/acting-user';
import type { CliContext } from '../cli/cli-context';
import { ValidationError } from '../common/errors';
import type { ChangeRequestsService } from './change-requests.service';

const changesModule = async () => [(await import('./changes.module')).ChangesModule];

type Presented = Awaited<ReturnType<ChangeRequestsService['get']>>;

function number(v: string): number {
  if (!/^[1-9]\d{0,9}$/.test(v))
    throw new ValidationError([{ field: 'number', problem: 'must be a change request number such as 7' }]);
  return Number(v);
}

function line(c: Presented): string {
  return `#${c.number}\t${c.state}\t${c.kind}\t${c.title}`;
}

function detail(c: Presented): string {
  const out = [
    `Change request ${c.number}: ${c.title}`,
    `kind:        ${c.kindLabel}`,
    `state:       ${c.state} (version ${c.version})`,
    `what:        ${c.description}`,
    `why:         ${c.reason}`,
    ...(c.evidence ? [`evidence:    ${c.evidence}`] : []),
    `created:     ${c.createdAt} by ${c.createdBy}`,
    ...(c.submittedAt ? [`submitted:   ${c.submittedAt} by ${c.submittedBy}`] : []),
    ...(c.decidedAt
      ? [`decided:     ${c.decidedAt} by ${c.decidedBy}${c.decisionReason ? `: ${c.decisionReason}` : ''}`]
      : []),
  ];
  if (c.before !== null)
    out.push(`before:      ${JSON.stringify(c.before)}`, `after:       ${JSON.stringify(c.after)}`);
  return out.join('\n');
}

/**
 * `change list|show|create|submit|approve|reject|withdraw|envelope --programme X`. Every write
 * names its user (`--as email`), checked against the API route's roles and then by the same
 * service rules (scope of the payload, author only, separation of duties by user).
 */
export function registerChangesCommands(program: Command, ctx: CliContext): void {
  const change = program
    .command('change')
    .description(
      'Change requests: list, show, create from a JSON file, submit, approve, reject, withdraw; the envelope',
    );
  const svc = async () =>
    ctx.get((await import('./change-requests.service')).ChangeRequestsService, await changesModule());
  const opt = (c: Command) => c.requiredOption('--programme <code>', 'programme code, e.g. SSLEP-GD-2014');
  /** The user a write acts as, with the roles of the API route that does the same thing. */
  const actor = async (
    command: string,
    method: 'create' | 'submit' | 'approve' | 'reject' | 'withdraw',
    o: { programme: string; as?: string },
  ) => {
    const { ChangeRequestsController } = await import('./change-requests.controller');
    return actAs(ctx, await changesModule(), o.as, {
      command: `change ${command}`,
      roles: await routeRoles(ChangeRequestsController, method),
      programme: o.programme,
    });
  };

  opt(change.command('list').description('List change requests, newest first'))
    .option('--state <state>', 'draft, submitted, approved, rejected or withdrawn')
    .option('--kind <kind>', 'e.g. reallocation')
    .option('--project <code>', 'only changes touching this project')
    .option('--json', 'print JSON')
    .action((o: { programme: string; state?: string; kind?: string; project?: string; json?: boolean }) =>
      ctx.run(async () => {
        const res = await (
          await svc()
        ).list(o.programme, { state: o.state as never, kind: o.kind, project: o.project, limit: 500 });
        ctx.print(
          o.json
            ? JSON.stringify(res, null, 2)
            : res.items.length
              ? res.items.map(line).join('\n')
              : 'no change requests',
        );
      }),
    );

  opt(change.command('show').description('Show one change request in plain English'))
    .requiredOption('--number <n>', 'change request number')
    .option('--json', 'print JSON')
    .action((o: { programme: string; number: string; json?: boolean }) =>
      ctx.run(async () => {
        const c = await (await svc()).get(o.programme, number(o.number));
        ctx.print(o.json ? JSON.stringify(c, null, 2) : detail(c));
      }),
    );

  asOption(
    opt(
      change
        .command('create')
        .description('Draft a change request; the payload is a JSON file in the API form (amounts "1000000.00")'),
    ),
  )
    .requiredOption(
      '--kind <kind>',
      'reallocation, reprofile_years, reprofile_spend, set_baseline, envelope_change, reduce_allocation, add_project, withdraw_project, hold_project, reinstate_project, complete_project',
    )
    .requiredOption('--title <text>', 'short title')
    .requiredOption('--reason <text>', 'why the change is needed')
    .option('--evidence <text>', 'where the evidence is')
    .requiredOption('--payload <file>', 'JSON file with the payload')
    .action(
      (o: {
        programme: string;
        kind: string;
        title: string;
        reason: string;
        evidence?: string;
        payload: string;
        as?: string;
      }) =>
        ctx.run(async () => {
          const by = await actor('create', 'create', o);
          let payload: Record<string, unknown>;
          try {
            payload = JSON.parse(readFileSync(o.payload, 'utf8'));
          } catch (e) {
            throw new ValidationError([
              { field: 'payload', problem: `cannot be read as JSON: ${(e as Error).message}` },
            ]);
          }
          const c = await (
            await svc()
          ).create(o.programme, { kind: o.kind, title: o.title, reason: o.reason, evidence: o.evidence, payload }, by);
          ctx.print(`drafted change request ${c.number}: ${c.description}`);
        }),
    );

  const step = (name: 'submit' | 'approve' | 'reject' | 'withdraw', description: string, reasonRequired: boolean) => {
    const c = asOption(opt(change.command(name).description(description)))
      .requiredOption('--number <n>', 'change request number')
      .option('--version <v>', 'the version you read (stale → refused)');
    (reasonRequired
      ? c.requiredOption('--reason <text>', 'why')
      : c.option('--reason <text>', 'why (recorded)')
    ).action((o: { programme: string; number: string; version?: string; reason?: string; as?: string }) =>
      ctx.run(async () => {
        const by = await actor(name, name, o);
        const dto = { reason: o.reason, version: o.version === undefined ? undefined : number(o.version) };
        const s = await svc();
        const c =
          name === 'reject'
            ? await s.reject(o.programme, number(o.number), { ...dto, reason: o.reason! }, by)
            : await s[name](o.programme, number(o.number), dto, by);
        ctx.print(`change request ${c.number} is ${c.state}: ${c.description}`);
      }),
    );
  };
  step('submit', 'Submit a draft for decision', false);
  step('approve', 'Approve and apply a submitted change (not by whoever submitted it)', false);
  step('reject', 'Reject a submitted change, with a reason', true);
  step('withdraw', 'Withdraw a draft or submitted change', false);

  opt(change.command('envelope').description('Per source kind: envelope, approved total, headroom'))
    .option('--json', 'print JSON')
    .action((o: { programme: string; json?: boolean }) =>
      ctx.run(async () => {
        const e = await (
          await ctx.get((await import('./envelope.service')).EnvelopeService, await changesModule())
        ).get(o.programme);
        if (o.json) return ctx.print(JSON.stringify(e, null, 2));
        ctx.print(
          [
            'source kind\tenvelope\tapproved\theadroom',
            ...e.items.map((i) => `${i.sourceKind}\t${i.envelope}\t${i.approved}\t${i.headroom}`),
          ].join('\n'),
        );
      }),
    );
}
