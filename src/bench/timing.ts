/** Side-by-side timing: cases run in alternating order each round so drift and noise hit both alike. */
export interface Sampled {
  name: string;
  samplesMs: number[];
  medianMs: number;
  minMs: number;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export async function timeOnce(fn: () => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

export interface Case {
  name: string;
  run: () => Promise<unknown>;
  /** Untimed work before each timed run (e.g. emptying tables before an import). */
  before?: () => Promise<unknown>;
}

/** Warm-up rounds, then `reps` rounds; odd rounds run the cases in reverse order. */
export async function interleave(cases: Case[], reps: number, warmup = 1): Promise<Sampled[]> {
  const samples = cases.map(() => [] as number[]);
  for (let r = 0; r < warmup + reps; r++) {
    const order = cases.map((_, i) => i);
    if (r % 2 === 1) order.reverse();
    for (const i of order) {
      await cases[i].before?.();
      const ms = await timeOnce(cases[i].run);
      if (r >= warmup) samples[i].push(ms);
    }
  }
  return cases.map((c, i) => ({
    name: c.name,
    samplesMs: samples[i],
    medianMs: median(samples[i]),
    minMs: Math.min(...samples[i]),
  }));
}
