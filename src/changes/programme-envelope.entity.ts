import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { bigintNumber } from '../database/transformers';

/**
 * The programme's approved envelope for one source kind: the ceiling on the sum of its approved,
 * non-withdrawn allocations. Set when a deal is loaded; changed only by an approved envelope_change.
 */
@Entity('programme_envelope')
@Index(['programmeId', 'sourceKind'], { unique: true })
export class ProgrammeEnvelope {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  programmeId: number;

  @Column({ type: 'varchar', length: 40 })
  sourceKind: string;

  @Column({ type: 'bigint', transformer: bigintNumber })
  amountPence: number;

  @Column({ type: 'varchar', length: 30 })
  updatedAt: string;

  @Column({ type: 'int', default: 1 })
  version: number;
}
