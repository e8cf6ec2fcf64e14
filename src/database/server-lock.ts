import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * "A server holds this SQLite database", as a lock the operating system releases when its holder
 * dies. A running server holds a shared flock(2) on `<database>.server-lock`; `restore` needs it
 * exclusively, so it is refused while any server runs (with or without --force), and a server
 * killed with SIGKILL leaves no stale lock behind.
 *
 * Node has no flock of its own, so a child `flock` (util-linux) takes the lock and keeps it while
 * its command, `cat`, reads the pipe from this process. The pipe closes when this process exits
 * for any reason, kill -9 included: cat ends, flock exits and the kernel drops the lock.
 */
export function serverLockPath(dbPath: string): string {
  return `${resolve(dbPath)}.server-lock`;
}

export interface HeldLock {
  release(): Promise<void>;
}

/** Exit code flock gives when the lock is held by someone else (`--conflict-exit-code`). */
const CONFLICT = 75;

export class LockUnavailableError extends Error {}

/**
 * Takes the lock: `shared` (a server; waits up to `waitSeconds` for a restore to finish) or
 * `exclusive` (a restore; never waits). Rejects with LockUnavailableError when it is held.
 */
export function acquireServerLock(dbPath: string, mode: 'shared' | 'exclusive', waitSeconds = 0): Promise<HeldLock> {
  const path = serverLockPath(dbPath);
  mkdirSync(dirname(path), { recursive: true });
  const wait = waitSeconds > 0 ? ['--wait', String(waitSeconds)] : ['--nonblock'];
  const child: ChildProcess = spawn(
    'flock',
    [`--${mode}`, ...wait, '--conflict-exit-code', String(CONFLICT), path, '-c', 'echo held; exec cat >/dev/null'],
    { stdio: ['pipe', 'pipe', 'ignore'] },
  );
  return new Promise((res, rej) => {
    let out = '';
    const fail = (e: Error) => {
      child.removeAllListeners();
      rej(e);
    };
    child.on('error', (e) => fail(new Error(`cannot run flock to lock ${path}: ${e.message}`)));
    child.on('exit', (code) =>
      fail(
        code === CONFLICT
          ? new LockUnavailableError(`${path} is held by a running server`)
          : new Error(`flock exited with ${code} before taking ${path}`),
      ),
    );
    child.stdout!.on('data', (d) => {
      out += String(d);
      if (!out.includes('held')) return;
      child.removeAllListeners('exit');
      child.removeAllListeners('error');
      child.stdout!.removeAllListeners('data');
      // Neither the child nor its pipes keep this process alive; they end with it.
      child.unref();
      (child.stdout as unknown as { unref?: () => void }).unref?.();
      (child.stdin as unknown as { unref?: () => void }).unref?.();
      res({
        release: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.stdin!.end();
          }),
      });
    });
  });
}
