/**
 * Reads the markdown source into its parts and headed sections, so a provenance quote can be
 * checked to lie inside the document and section it names (some sentences occur twice).
 */
export interface Heading {
  line: number;
  level: number;
  text: string;
}

const clean = (s: string) => s.replace(/\*\*|<[^>]+>/g, '').trim();

export function headings(source: string): Heading[] {
  return source
    .split('\n')
    .map((l, i) => ({ l, i }))
    .filter(({ l }) => /^#{1,6} /.test(l))
    .map(({ l, i }) => ({ line: i, level: /^#+/.exec(l)![0].length, text: clean(l.replace(/^#+/, '')) }));
}

/** Every span (text) of a section with this heading text, inside the named part. */
export function sectionTexts(source: string, documentHeading: string, sectionHeading: string): string[] {
  const lines = source.split('\n');
  const hs = headings(source);
  const part = hs.findIndex((h) => h.text === documentHeading);
  if (part < 0) return [];
  const partEnd = hs.slice(part + 1).find((h) => h.text.startsWith('Part '))?.line ?? lines.length;
  const out: string[] = [];
  hs.forEach((h, k) => {
    if (h.text !== sectionHeading || h.line < hs[part].line || h.line >= partEnd) return;
    const end = Math.min(hs.slice(k + 1).find((n) => n.level <= h.level)?.line ?? lines.length, partEnd);
    out.push(lines.slice(h.line, end).join('\n'));
  });
  return out;
}
