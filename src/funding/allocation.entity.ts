import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Provenance } from '../common/provenance';
import { bigintNumber } from '../database/transformers';

export const COMMITMENT_STATUSES = ['confirmed', 'provisional', 'indicative', 'withdrawn'] as const;
export type CommitmentStatus = (typeof COMMITMENT_STATUSES)[number];
export const APPROVAL_STATES = ['draft', 'approved'] as const;
export type ApprovalState = (typeof APPROVAL_STATES)[number];
export const PERIOD_KINDS = ['year', 'range', 'unprofiled'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

/**
 * An amount of one source kind to one project, to a pool of projects, or to the programme
 * as a whole (both ids null), for one financial year, a range of years, or unprofiled.
 */
@Entity('allocation')
@Index(['programmeId', 'sourceKind'])
@Index('IDX_allocation_programme_approval', ['programmeId', 'approvalState', 'commitmentStatus', 'sourceKind'])
@Index('IDX_allocation_national', [
  'approvalState',
  'sourceKind',
  'commitmentStatus',
  'periodKind',
  'yearFrom',
  'yearTo',
  'amountPence',
])
export class Allocation {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  programmeId: number;

  @Column({ type: 'varchar', length: 40 })
  sourceKind: string;

  @Index()
  @Column({ type: 'int', nullable: true })
  projectId: number | null;

  @Column({ type: 'int', nullable: true })
  poolId: number | null;

  @Column({ type: 'varchar', length: 12 })
  periodKind: PeriodKind;

  /** Start year of the financial year (2015 for 2015-16); null when unprofiled. */
  @Column({ type: 'int', nullable: true })
  yearFrom: number | null;

  /** Last year of a range; equals yearFrom for one year; null when unprofiled. */
  @Column({ type: 'int', nullable: true })
  yearTo: number | null;

  @Column({ type: 'bigint', transformer: bigintNumber })
  amountPence: number;

  @Column({ type: 'varchar', length: 12, default: 'confirmed' })
  commitmentStatus: CommitmentStatus;

  @Column({ type: 'varchar', length: 10, default: 'draft' })
  approvalState: ApprovalState;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column(() => Provenance, { prefix: 'source' })
  source: Provenance;

  /** The approved change request that created this row (null: loaded with the deal, or a draft). */
  @Column({ type: 'int', nullable: true })
  changeRequestNumber: number | null;

  @Column({ type: 'int', default: 1 })
  version: number;

  @Column({ type: 'varchar', length: 30 })
  createdAt: string;

  @Column({ type: 'varchar', length: 30 })
  updatedAt: string;
}
