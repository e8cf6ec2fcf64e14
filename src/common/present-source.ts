import type { Provenance } from './provenance';

/** API form of provenance: null fields dropped, illustrative always said. */
export function presentSource(s: Provenance | null | undefined) {
  if (!s || (!s.document && !s.quote && !s.illustrative)) return null;
  return { document: s.document, section: s.section, quote: s.quote, printed: s.printed, illustrative: s.illustrative };
}
