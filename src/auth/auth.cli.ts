import { Command, InvalidArgumentError } from 'commander';
import { cliActor, type Actor } from './actor';
import { actAs, asOption, routeRoles } from '../cli/acting-user';
import type { CliContext } from '../cli/cli-context';
import { ValidationError } from '../common/errors';
import type { AccountsService } from './accounts.service';
import type { AuthService } from './auth.service';
import { ROLES } from './roles';
import { DEFAULT_TOKEN_DAYS } from './token';

/** Users and tokens need only the auth module. */
async function auth(ctx: CliContext): Promise<AuthService> {
  const [{ AuthService }, { AuthModule }] = await Promise.all([import('./auth.service'), import('./auth.module')]);
  return ctx.get(AuthService, [AuthModule]);
}

async function accounts(ctx: CliContext): Promise<AccountsService> {
  const [{ AccountsService }, { AuthModule }] = await Promise.all([
    import('./accounts.service'),
    import('./auth.module'),
  ]);
  return ctx.get(AccountsService, [AuthModule]);
}

const wholeNumber = (v: string) => {
  if (!/^\d+$/.test(v)) throw new InvalidArgumentError('must be a whole number of days');
  return Number(v);
};

/** Users and tokens. The first admin is made here: the server has no default user or password. */
export function registerAuthCommands(program: Command, ctx: CliContext): void {
  const user = program.command('user').description('Users and their roles');
  asOption(user.command('create'))
    .description(
      `Create a user (roles: ${ROLES.join(', ')}). The first admin needs nothing else; every later user is created --as an admin`,
    )
    .requiredOption('--name <name>', 'full name')
    .requiredOption('--email <email>', 'email (unique)')
    .requiredOption('--role <role>', ROLES.join(' | '))
    .option('--projects <codes>', 'programme managers: comma-separated project codes they may change')
    .option('--programme <code>', 'the programme those projects belong to')
    .option('--password-stdin', 'read a password for the staff pages from standard input (one line)')
    .action(
      (o: {
        name: string;
        email: string;
        role: string;
        projects?: string;
        programme?: string;
        passwordStdin?: boolean;
        as?: string;
      }) =>
        ctx.run(async () => {
          const by = await creator(ctx, o.role, o.as);
          // The password is checked before the user is made, so a refused one leaves nothing behind.
          const password = o.passwordStdin ? await readPassword(ctx.input) : undefined;
          if (password !== undefined) {
            const { passwordProblems } = await import('./passwords');
            const problems = passwordProblems(password, { email: o.email, name: o.name });
            if (problems.length) throw new ValidationError(problems);
          }
          const svc = await auth(ctx);
          const u = await svc.createUser(
            { name: o.name, email: o.email, role: o.role, projects: o.projects?.split(','), programme: o.programme },
            by,
          );
          if (password !== undefined) await (await accounts(ctx)).setPassword(u.email, password, by);
          ctx.print(
            `created user ${u.id} ${u.email} (${u.role})${u.projects.length ? ` for ${u.projects.join(', ')}` : ''}`,
          );
          ctx.print(
            password !== undefined
              ? `sign in at /manage/sign-in with ${u.email} and that password`
              : `next: npm run cli -- user set-password --email ${u.email} --password-stdin, or token create --email ${u.email}`,
          );
        }),
    );
  user
    .command('set-password')
    .description("Set or replace a user's password for the staff pages, read from standard input (one line)")
    .requiredOption('--email <email>', 'the user')
    .requiredOption('--password-stdin', 'read the password from standard input (never from the command line)')
    .action((o: { email: string }) =>
      ctx.run(async () => {
        const password = await readPassword(ctx.input);
        const r = await (await accounts(ctx)).setPassword(o.email, password, cliActor());
        ctx.print(`password set for ${r.email}; any sign-in lock on the account is cleared`);
      }),
    );
  user
    .command('list')
    .description('List users')
    .action(() =>
      ctx.run(async () => {
        const users = await (await auth(ctx)).listUsers();
        if (!users.length) ctx.print('no users yet: npm run cli -- user create --name "..." --email ... --role admin');
        for (const u of users)
          ctx.print(
            `${u.id}\t${u.email}\t${u.role}\t${u.active ? 'active' : 'inactive'}\t${u.name}${u.projects.length ? `\t${u.projects.join(',')}` : ''}`,
          );
      }),
    );
  const token = program.command('token').description('Personal API tokens (Authorization: Bearer <token>)');
  token
    .command('create')
    .description('Issue a token for a user; it is printed once and only its SHA-256 is stored')
    .requiredOption('--email <email>', 'the user')
    .option('--days <n>', 'days until it expires', wholeNumber, DEFAULT_TOKEN_DAYS)
    .option('--label <text>', 'what the token is for')
    .action((o: { email: string; days: number; label?: string }) =>
      ctx.run(async () => {
        const t = await (await auth(ctx)).createToken(o.email, o.days, o.label ?? null, cliActor());
        ctx.err.write(
          `token for ${t.user} (${t.role}), id ${t.publicId}, expires ${t.expiresAt}. It is shown once: keep it now.\n`,
        );
        ctx.print(t.token);
      }),
    );
  token
    .command('revoke <publicId>')
    .description('Revoke a token by its public id (the part after gdt_)')
    .action((publicId: string) =>
      ctx.run(async () => {
        const r = await (await auth(ctx)).revokeToken(publicId, cliActor());
        ctx.print(
          r.alreadyRevoked ? `token ${publicId} was already revoked at ${r.revokedAt}` : `revoked token ${publicId}`,
        );
      }),
    );
}

/**
 * Who creates a user: nobody needs naming for the first admin (there is nobody to name: this is
 * setting up); every other user is created by an admin, named with --as as on the staff pages.
 */
async function creator(ctx: CliContext, role: string, as: string | undefined): Promise<Actor> {
  const [{ AuthModule }, { Db }, { User }] = await Promise.all([
    import('./auth.module'),
    import('../database/db.service'),
    import('./user.entity'),
  ]);
  const db = await ctx.get(Db, [AuthModule]);
  if (as === undefined && role === 'admin') {
    const admins = await db.read((m) => m.count(User, { where: { role: 'admin', active: true } }));
    if (admins === 0) return cliActor();
  }
  const { UsersController } = await import('../web/admin/users.controller');
  return actAs(ctx, [AuthModule], as, { command: 'user create', roles: await routeRoles(UsersController, 'create') });
}

/** One line from standard input (its trailing newline dropped). */
async function readPassword(input: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of input) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)));
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}
