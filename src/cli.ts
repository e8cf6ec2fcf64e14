// Decorated classes (loaded per command) need it first; it is small and loads no Nest.
import 'reflect-metadata';
import { Command, CommanderError } from 'commander';
import { CliContext } from './cli/cli-context';
import { COMMAND_GROUPS } from './cli/commands';

/** `npm run cli -- <command>`: the same modules as the server, for scripts and finance teams. */
export async function runCli(argv: string[], ctx = new CliContext()): Promise<number> {
  ctx.entities ??= () => import('./entities').then((m) => m.ENTITIES);
  const program = new Command()
    .name('growth-deal')
    .description(
      'Growth Deal tracker command line. Money is pounds; the database is the one the server uses (DATABASE_URL or DATABASE_PATH).',
    )
    .exitOverride()
    .configureOutput({ writeOut: (s) => ctx.out.write(s), writeErr: (s) => ctx.err.write(s) })
    .showHelpAfterError();
  for (const register of COMMAND_GROUPS) register(program, ctx);
  program.commands.forEach((c) =>
    c.exitOverride().configureOutput({ writeOut: (s) => ctx.out.write(s), writeErr: (s) => ctx.err.write(s) }),
  );
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      await ctx.close();
      return e.exitCode === 0 || e.code === 'commander.helpDisplayed' || e.code === 'commander.help' ? 0 : 2;
    }
    throw e;
  }
  await ctx.close();
  return ctx.exitCode;
}

if (require.main === module) {
  runCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`error: ${(e as Error)?.stack ?? String(e)}\n`);
      process.exit(1);
    },
  );
}
