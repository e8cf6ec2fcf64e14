import { setFlagsFromString } from 'node:v8';

/**
 * V8's garbage collector tuned for a one-shot command that reads a programme, writes a file and
 * exits (the `return` commands). By default V8 grows the young generation to 16 MB per
 * semi-space and lets the old generation grow well past what is live, to spend less time
 * collecting in a long-running server; a command that ends in three seconds gains nothing from
 * that and pays for it in peak memory (the return export of the largest generated programme:
 * about 185 MB by default, 131–143 MB tuned). The price is collection time (about 0.3 s more on
 * that export, which its time target absorbs; docs/benchmarks.md).
 *
 * Both flags are read by V8 at each collection, so setting them at run time takes effect (a
 * test checks it, and that this Node's V8 still knows them: an unknown flag would be ignored
 * silently). Call it before the command's work, never in the server.
 */
export const BATCH_HEAP_FLAGS = ['--semi-space-growth-factor=1', '--heap-growing-percent=30'] as const;

export function useBatchHeap(): void {
  for (const f of BATCH_HEAP_FLAGS) setFlagsFromString(f);
}
