import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const ORGANISATION_KINDS = [
  'lep',
  'council',
  'government',
  'private',
  'university',
  'chamber',
  'other',
] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

@Entity('organisation')
export class Organisation {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 60, unique: true })
  code: string;

  @Column({ type: 'varchar', length: 300 })
  name: string;

  @Column({ type: 'varchar', length: 20 })
  kind: OrganisationKind;

  /** An org-id.guide identifier (e.g. GB-GOR-...), used by the 360Giving export. */
  @Column({ type: 'varchar', length: 100, nullable: true })
  identifier: string | null;

  /** True where the identifier is an assumption, not from the source. */
  @Column({ type: 'boolean', default: false })
  identifierAssumed: boolean;

  @Column({ type: 'int', default: 1 })
  version: number;
}
