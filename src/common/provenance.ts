import { Column } from 'typeorm';

/** Where a figure comes from: the document, its part/section, the words quoted and the amount as printed. */
export class Provenance {
  @Column({ type: 'varchar', length: 200, nullable: true })
  document: string | null;

  @Column({ type: 'varchar', length: 300, nullable: true })
  section: string | null;

  @Column({ type: 'text', nullable: true })
  quote: string | null;

  /** The figure exactly as printed inside the quote ("£2.4m", "21."). */
  @Column({ type: 'varchar', length: 50, nullable: true })
  printed: string | null;

  /** True for demo data the source does not contain. */
  @Column({ type: 'boolean', default: false })
  illustrative: boolean;
}

/** Provenance as written in a seed file (the printed amount is optional). */
export interface SeedProvenance {
  document: string;
  section?: string;
  quote: string;
  printed?: string;
}

/** A seed file's provenance as stored, with the seed's illustrative flag. */
export function provenanceOf(s: SeedProvenance | undefined, illustrative = false): Provenance {
  return {
    document: s?.document ?? null,
    section: s?.section ?? null,
    quote: s?.quote ?? null,
    printed: s?.printed ?? null,
    illustrative,
  };
}
