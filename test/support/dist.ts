import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
export const CLI_JS = join(ROOT, 'dist', 'src', 'cli.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/** Tests that run the real CLI as a child process need dist/ (npm ci's `prepare` builds it); rebuild when src is newer. */
export function ensureDist(): void {
  const fresh = () => existsSync(CLI_JS) && statSync(CLI_JS).mtimeMs >= newestSource(join(ROOT, 'src'));
  if (fresh()) return;
  // Test files run in parallel workers: one builds while the others wait, so no CLI runs from a
  // half-written dist/. A lock left by a killed build is taken over after the build's own time-out.
  const lock = join(ROOT, 'dist.build-lock');
  const started = Date.now();
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() - started > 300_000) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
  }
  try {
    if (!fresh()) execFileSync('npx', ['nest', 'build'], { cwd: ROOT, stdio: 'ignore', timeout: 300_000 });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
