import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Structural guard: approved allocations and envelopes are written only by the approval service
 * (and the deal loader's initial baseline). Any other file that writes these tables fails here.
 */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return sources(p);
    return p.endsWith('.ts') && !p.endsWith('.spec.ts') ? [p] : [];
  });
}

const SRC = join(__dirname, '..');
const WRITE = (entity: string) =>
  new RegExp(
    `(insert|update|save|upsert|delete|remove|increment|decrement)\\(\\s*(m,\\s*)?${entity}\\b|updateVersioned\\(\\s*[\\w.]+,\\s*${entity}\\b|\\.update\\(${entity}\\)`,
  );

describe('only the approval service writes approved money', () => {
  const files = sources(SRC).map((p) => ({ path: relative(SRC, p), text: readFileSync(p, 'utf8') }));

  it('writes to allocation come only from the approval service, the deal loader and draft-only funding routes', () => {
    const writers = files
      .filter((f) => WRITE('Allocation').test(f.text))
      .map((f) => f.path)
      .sort();
    expect(writers).toEqual([
      'changes/approval.service.ts',
      'deal-loading/seed.service.ts',
      'funding/funding.service.ts',
    ]);
    // The funding routes create drafts only and refuse to touch approved rows.
    const funding = files.find((f) => f.path === 'funding/funding.service.ts')!.text;
    expect(funding).not.toMatch(/approvalState:\s*'approved'/);
    expect(funding).toMatch(/assertDraft\(before\)/);
  });

  it('envelopes are written only by the approval service and the deal loader’s initialisation', () => {
    const writers = files
      .filter((f) => WRITE('ProgrammeEnvelope').test(f.text))
      .map((f) => f.path)
      .sort();
    expect(writers).toEqual(['changes/approval.service.ts', 'changes/envelope.queries.ts']);
  });
});
