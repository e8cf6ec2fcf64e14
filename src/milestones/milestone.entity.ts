import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Provenance } from '../common/provenance';

export const MILESTONE_KINDS = [
  'business_case',
  'planning',
  'contract_award',
  'start_on_site',
  'completion',
  'custom',
  'commitment',
] as const;
export type MilestoneKind = (typeof MILESTONE_KINDS)[number];
export const PROJECT_MILESTONE_KINDS = [
  'business_case',
  'planning',
  'contract_award',
  'start_on_site',
  'completion',
  'custom',
] as const;
export const MILESTONE_STATUSES = ['open', 'complete', 'cancelled'] as const;
export type MilestoneStatus = (typeof MILESTONE_STATUSES)[number];

/** A dated step of a project, or (projectId null) one of the programme's own commitments. */
@Entity('milestone')
@Index(['programmeId', 'projectId'])
export class Milestone {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  programmeId: number;

  @Column({ type: 'int', nullable: true })
  projectId: number | null;

  @Column({ type: 'varchar', length: 60, nullable: true })
  code: string | null;

  @Column({ type: 'varchar', length: 20 })
  kind: MilestoneKind;

  @Column({ type: 'varchar', length: 300 })
  title: string;

  /** Deal commitments: who promised it ("lep", "government"). */
  @Column({ type: 'varchar', length: 20, nullable: true })
  owner: string | null;

  /** As approved; changes only through an approved re-baseline change request. */
  @Column({ type: 'varchar', length: 10, nullable: true })
  baselineDate: string | null;

  @Column({ type: 'varchar', length: 10, nullable: true })
  forecastDate: string | null;

  @Column({ type: 'varchar', length: 10, nullable: true })
  actualDate: string | null;

  @Column({ type: 'varchar', length: 12, default: 'open' })
  status: MilestoneStatus;

  /** The source's own words for a vague date ("over the summer of 2014"). */
  @Column({ type: 'varchar', length: 200, nullable: true })
  dueWords: string | null;

  /** True when the baseline date is our reading of vague words, not a printed date. */
  @Column({ type: 'boolean', default: false })
  dateInterpreted: boolean;

  @Column({ type: 'text', nullable: true })
  notes: string | null;

  @Column(() => Provenance, { prefix: 'source' })
  source: Provenance;

  @Column({ type: 'int', default: 1 })
  version: number;

  @Column({ type: 'varchar', length: 30 })
  updatedAt: string;
}
