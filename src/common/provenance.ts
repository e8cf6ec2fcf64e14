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
