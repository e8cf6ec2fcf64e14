import { PassThrough } from 'node:stream';
import { runCli } from '../../src/cli';
import { CliContext } from '../../src/cli/cli-context';

const KEYS = ['DATABASE_URL', 'DATABASE_SCHEMA', 'DATABASE_PATH', 'SEED_ON_START', 'DEMO_DATA'];

/** Runs the real CLI in-process against a test app's database; output captured, environment restored. */
export async function runCliAgainst(env: Record<string, string>, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const saved = Object.fromEntries(KEYS.map((k) => [k, process.env[k]]));
  for (const k of KEYS) delete process.env[k];
  Object.assign(process.env, env);
  const out = new PassThrough();
  const err = new PassThrough();
  let o = '';
  let e = '';
  out.on('data', (d: Buffer) => (o += d.toString('utf8')));
  err.on('data', (d: Buffer) => (e += d.toString('utf8')));
  try {
    const code = await runCli(argv, new CliContext(out, err));
    return { code, out: o, err: e };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
