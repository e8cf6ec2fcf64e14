import { InvalidArgumentError } from 'commander';

/** Shared by the commands that take counts and show progress (generate, return national). */
export function positiveInt(name: string) {
  return (v: string): number => {
    if (!/^[0-9]+$/.test(v) || Number(v) < 1 || !Number.isSafeInteger(Number(v)))
      throw new InvalidArgumentError(`${name} must be a whole number of at least 1`);
    return Number(v);
  };
}

/** A progress bar on a terminal; nothing at all when output is piped or captured. */
export function progressFor(
  stream: NodeJS.WritableStream,
  label: string,
): { update: (done: number, total: number) => void; stop: () => void } {
  if (!(stream as { isTTY?: boolean }).isTTY) return { update: () => undefined, stop: () => undefined };
  // Loaded only on a terminal: the bar's width handling pulls in several packages.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { SingleBar } = require('cli-progress') as typeof import('cli-progress');
  const bar = new SingleBar({
    format: `${label} [{bar}] {percentage}% | {value}/{total} rows | {eta}s`,
    stream: stream as NodeJS.WriteStream,
    hideCursor: true,
  });
  let started = false;
  return {
    update(done, total) {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.setTotal(Math.max(total, done));
      bar.update(done);
    },
    stop: () => started && bar.stop(),
  };
}
