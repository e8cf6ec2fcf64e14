import { PassThrough } from 'node:stream';
import { runCli } from '../../src/cli';
import { CliContext } from '../../src/cli/cli-context';

/** Runs the CLI in this process against the database `env` points at; restores the environment after. */
export async function runCliWith(env: Record<string, string>, args: string[]): Promise<{ code: number; out: string; err: string }> {
  const saved: Record<string, string | undefined> = {};
  for (const k of ['DATABASE_URL', 'DATABASE_SCHEMA', 'DATABASE_PATH', 'SEED_ON_START', 'DEMO_DATA', ...Object.keys(env)]) saved[k] = process.env[k];
  for (const k of ['DATABASE_URL', 'DATABASE_SCHEMA', 'DATABASE_PATH']) delete process.env[k];
  Object.assign(process.env, env);
  const out = new PassThrough();
  const err = new PassThrough();
  let o = '';
  let e = '';
  out.on('data', (d) => (o += d));
  err.on('data', (d) => (e += d));
  try {
    const code = await runCli(args, new CliContext(out, err));
    return { code, out: o, err: e };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
