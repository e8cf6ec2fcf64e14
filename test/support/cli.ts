import { PassThrough, Readable } from 'node:stream';
import { CliContext } from '../../src/cli/cli-context';
import { runCli } from '../../src/cli';

/** Runs the CLI in-process with the given environment (and standard input); returns exit code and output. */
export async function cli(
  args: string[],
  env: Record<string, string>,
  stdin?: string,
): Promise<{ code: number; out: string; err: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  let o = '';
  let e = '';
  out.on('data', (d) => (o += String(d)));
  err.on('data', (d) => (e += String(d)));
  const saved: Record<string, string | undefined> = {};
  for (const k of [
    'DATABASE_URL',
    'DATABASE_SCHEMA',
    'DATABASE_PATH',
    'SEED_ON_START',
    'DEMO_DATA',
    ...Object.keys(env),
  ]) {
    saved[k] = process.env[k];
    delete process.env[k];
  }
  Object.assign(process.env, { LOG_LEVEL: 'silent', ...env });
  try {
    const code = await runCli(args, new CliContext(out, err, stdin === undefined ? undefined : Readable.from([stdin])));
    return { code, out: o, err: e };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
