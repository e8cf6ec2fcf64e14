import { spawnSync } from 'node:child_process';
import { BATCH_HEAP_FLAGS } from './batch-heap';

/** Young objects allocated in a loop; prints the young generation's size after it (bytes). */
const CHURN = (before: string) => `
  ${before}
  const v8 = require('node:v8');
  let a = [];
  for (let i = 0; i < 2e6; i++) { a.push({ i }); if (a.length > 1e4) a = []; }
  process.stdout.write(String(v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size));`;

function youngAfterChurn(before = ''): number {
  const r = spawnSync(process.execPath, ['-e', CHURN(before)], { encoding: 'utf8' });
  expect(r.status).toBe(0);
  return Number(r.stdout);
}

describe('useBatchHeap: the return commands’ garbage collector settings', () => {
  it.each(BATCH_HEAP_FLAGS.map((f) => [f]))('%s is a flag this Node’s V8 knows', (flag) => {
    // As a command-line option an unknown flag is refused ("bad option"), where setFlagsFromString ignores it.
    const r = spawnSync(process.execPath, [flag, '-e', '0'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('set at run time, keep the young generation at its first size where V8 would grow it to 16 MB', () => {
    // The child sets the flags as useBatchHeap does (a bare child cannot load the TypeScript).
    const set = `for (const f of ${JSON.stringify(BATCH_HEAP_FLAGS)}) require('node:v8').setFlagsFromString(f);`;
    expect(youngAfterChurn()).toBe(16 * 1024 * 1024);
    expect(youngAfterChurn(set)).toBeLessThanOrEqual(2 * 1024 * 1024);
  });
});
