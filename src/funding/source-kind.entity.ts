import { Column, Entity, PrimaryColumn } from 'typeorm';

/** LGF, LGF_PRECOMMITTED, LGF_PROVISIONAL, LOCAL_MATCH, PRIVATE_MATCH, REVENUE_GRANT, and any added later. */
@Entity('source_kind')
export class SourceKind {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  code: string;

  /** Plain English for pages ("Local Growth Fund"). */
  @Column({ type: 'varchar', length: 200 })
  label: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  /** Revenue grants sit outside the capital totals. */
  @Column({ type: 'boolean', default: true })
  capital: boolean;

  /** Government money (LGF family) versus match from local partners or the private sector. */
  @Column({ type: 'boolean', default: false })
  isMatch: boolean;

  @Column({ type: 'int', default: 0 })
  position: number;
}

export const CORE_SOURCE_KINDS: SourceKind[] = [
  {
    code: 'LGF',
    label: 'Local Growth Fund award',
    description: 'Confirmed Local Growth Fund award',
    capital: true,
    isMatch: false,
    position: 1,
  },
  {
    code: 'LGF_PRECOMMITTED',
    label: 'Previously committed growth funding',
    description: 'Growth funding the Government committed before the deal (e.g. major transport schemes)',
    capital: true,
    isMatch: false,
    position: 2,
  },
  {
    code: 'LGF_PROVISIONAL',
    label: 'Provisional Local Growth Fund allocation',
    description: 'Provisional allocation for projects starting in 2016/17 and beyond, subject to conditions',
    capital: true,
    isMatch: false,
    position: 3,
  },
  {
    code: 'LOCAL_MATCH',
    label: 'Local partners’ match funding',
    description: 'Money from the LEP’s partners',
    capital: true,
    isMatch: true,
    position: 4,
  },
  {
    code: 'PRIVATE_MATCH',
    label: 'Private sector match funding',
    description: 'Private-sector contributions',
    capital: true,
    isMatch: true,
    position: 5,
  },
  {
    code: 'REVENUE_GRANT',
    label: 'Revenue grant',
    description: 'Separate revenue funding (outside the capital totals)',
    capital: false,
    isMatch: false,
    position: 6,
  },
];
