import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePounds, parsePrinted } from '../common/money';
import { projectRoot } from '../common/paths';
import { SeedProvenance } from './deal-seed.types';
import { sectionTexts } from './source-sections';
import { validateDealSeed } from './seed-validation';

/**
 * Every seeded figure traces to its words: the quote is an exact substring of the source,
 * inside the part and section it names, contains the amount as printed, and the printed
 * amount parses to exactly the stored value.
 */
const sourcePath = process.env.GROWTH_DEAL_SOURCE ?? join(projectRoot(), 'seeds', 'source', 'growth-deal-2014.md');
const source = readFileSync(sourcePath, 'utf8');
const seedPath = join(projectRoot(), 'seeds', 'growth-deal-2014.json');
const seed = validateDealSeed(seedPath, JSON.parse(readFileSync(seedPath, 'utf8')));

type Traced = { what: string; source: SeedProvenance };
const traced: Traced[] = [
  { what: 'programme', source: seed.programme.source! },
  ...seed.themes.map((t) => ({ what: `theme ${t.code}`, source: t.source! })),
  ...seed.projects.map((p) => ({ what: `project ${p.code}`, source: p.source! })),
  ...(seed.pools ?? []).map((p) => ({ what: `pool ${p.code}`, source: p.source! })),
  ...seed.allocations.map((a) => ({ what: `allocation ${a.ref}`, source: a.source! })),
  ...seed.headlines.map((h) => ({ what: `headline ${h.code}`, source: h.source })),
  ...(seed.commitments ?? []).map((c) => ({ what: `commitment ${c.code}`, source: c.source! })),
];

describe('seed provenance against the source text', () => {
  it('ships the verbatim source (identical to the shared copy where present)', () => {
    const shared = join(projectRoot(), '..', 'shared', 'source', 'growth-deal-2014.md');
    if (existsSync(shared)) expect(source).toBe(readFileSync(shared, 'utf8'));
    expect(source.length).toBeGreaterThan(40_000);
  });

  it('covers every seeded record', () => {
    expect(traced).toHaveLength(1 + 3 + 8 + 2 + 19 + 39 + 10);
    for (const t of traced) expect(t.source).toBeDefined();
  });

  it.each(traced.map((t) => [t.what, t] as const))('%s quotes words inside its named section', (_, t) => {
    expect(source).toContain(t.source.quote);
    // Optional in the schema (as on the API); the bundled deal names every section.
    expect(t.source.section).toBeDefined();
    const sections = sectionTexts(source, t.source.document, t.source.section!);
    expect(sections.length).toBeGreaterThan(0);
    expect(sections.some((s) => s.includes(t.source.quote))).toBe(true);
    if (t.source.printed) expect(t.source.quote).toContain(t.source.printed);
  });

  it.each(seed.allocations.map((a) => [a.ref, a] as const))(
    'allocation %s: printed amount equals the stored amount',
    (_, a) => {
      const { pence } = parsePrinted(a.source!.printed!, 'pounds');
      expect(pence).toBe(parsePounds(a.amount));
    },
  );

  it.each(seed.headlines.filter((h) => h.unit === 'pounds').map((h) => [h.code, h] as const))(
    'money headline %s: printed figure and precision',
    (_, h) => {
      const printed = h.source.printed!;
      // Table cells are printed in £m without the sign; "-" is the printed nil.
      const parsed =
        printed === '-'
          ? { pence: 0, precisionPence: parsePounds(h.precision as string) }
          : parsePrinted(printed, h.table ? 'millions' : 'pounds');
      expect(parsed.pence).toBe(parsePounds(h.amount!));
      expect(parsed.precisionPence).toBe(parsePounds(h.precision as string));
    },
  );

  it.each(seed.headlines.filter((h) => h.unit !== 'pounds').map((h) => [h.code, h] as const))(
    'count headline %s: printed figure',
    (_, h) => {
      const words: Record<string, number> = { five: 5 };
      const printed = h.source.printed!;
      expect(words[printed] ?? Number(printed.replace(/,/g, ''))).toBe(h.value);
    },
  );
});
