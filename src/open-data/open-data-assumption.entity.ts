import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One assumption the 360Giving export needs that the deal documents do not state: who
 * receives each project's money, funders' and recipients' organisation identifiers, the
 * LEP area's geocode, the award date. Every value here is published as "not from source".
 */
@Entity('open_data_assumption')
@Index(['programmeId', 'key'], { unique: true })
export class OpenDataAssumption {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  programmeId: number;

  /** e.g. "awardDate", "beneficiary.geoCode", "recipient.project.ETRURIA", "funder.LGF.id". */
  @Column({ type: 'varchar', length: 120 })
  key: string;

  @Column({ type: 'varchar', length: 300 })
  value: string;

  /** Why this value was assumed. */
  @Column({ type: 'text', nullable: true })
  note: string | null;

  @Column({ type: 'int', default: 1 })
  version: number;

  @Column({ type: 'varchar', length: 30 })
  updatedAt: string;
}
