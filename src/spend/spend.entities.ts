import { Provenance } from '../common/provenance';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { bigintNumber } from '../database/transformers';

/** One project × source kind × quarter: the approved baseline, the latest forecast and the actual (pence). */
@Entity('spend_profile')
@Index(['projectId', 'sourceKind', 'quarter'], { unique: true })
@Index(['programmeId', 'projectId', 'sourceKind'])
@Index(['programmeId', 'quarter'])
export class SpendProfileLine {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  programmeId: number;

  @Column({ type: 'int' })
  projectId: number;

  @Column({ type: 'varchar', length: 40 })
  sourceKind: string;

  /** "2015-16 Q1" (sorts correctly as text). */
  @Column({ type: 'varchar', length: 10 })
  quarter: string;

  /** As approved: written at load/import, then only by approved re-profile change requests. */
  @Column({ type: 'bigint', transformer: bigintNumber })
  baselinePence: number;

  @Column({ type: 'bigint', transformer: bigintNumber })
  forecastPence: number;

  @Column({ type: 'bigint', nullable: true, transformer: bigintNumber })
  actualPence: number | null;

  /** Demo data the source does not contain. */
  @Column({ type: 'boolean', default: false })
  illustrative: boolean;

  @Column({ type: 'int', default: 1 })
  version: number;

  @Column({ type: 'varchar', length: 30 })
  updatedAt: string;
}

/** A correction to a submitted (locked) quarter, recorded in the current reporting quarter. */
@Entity('spend_adjustment')
@Index(['programmeId', 'projectId', 'sourceKind'])
@Index(['programmeId', 'recordedInQuarter'])
export class SpendAdjustment {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  programmeId: number;

  @Column({ type: 'int' })
  projectId: number;

  @Column({ type: 'varchar', length: 40 })
  sourceKind: string;

  @Column({ type: 'varchar', length: 10 })
  recordedInQuarter: string;

  @Column({ type: 'varchar', length: 10 })
  correctsQuarter: string;

  /** Signed pence: negative reduces the corrected quarter's spend. */
  @Column({ type: 'bigint', transformer: bigintNumber })
  amountPence: number;

  @Column({ type: 'text' })
  reason: string;

  /** A correction to a locked quarter, or a promoter's repayment of spent money (negative). */
  @Column({ type: 'varchar', length: 30, default: 'prior_period_adjustment' })
  kind: 'prior_period_adjustment' | 'repayment';

  /** The repayment's remittance or invoice reference. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  reference: string | null;

  /** Where the figure comes from (remittance advice, ledger extract), as on an allocation. */
  @Column(() => Provenance, { prefix: 'source' })
  source: Provenance;

  @Column({ type: 'varchar', length: 200 })
  recordedBy: string;

  @Column({ type: 'varchar', length: 30 })
  recordedAt: string;

  @Column({ type: 'boolean', default: false })
  illustrative: boolean;
}
