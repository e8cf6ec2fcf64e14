import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { jsonText } from '../database/transformers';

export const UPDATE_STATUSES = ['in_progress', 'submitted', 'returned', 'accepted'] as const;
export type SpendState = 'awaiting' | 'confirmed';

/** "not_started" is the absence of a row. */
export type UpdateStatus = (typeof UPDATE_STATUSES)[number] | 'not_started';

/** The figures a project's update proposes, held until the update is accepted (pence, ISO dates). */
export interface UpdateDraft {
  /** `${sourceKind}|${quarter}` → forecast pence, for the reporting quarter and every later one. */
  forecasts?: Record<string, number>;
  /** sourceKind → actual pence for the reporting quarter. */
  actuals?: Record<string, number>;
  /** Cumulative readings the person confirmed were the quarter's figure (sourceKind list). */
  confirmedQuarterFigures?: string[];
  narrative?: string;
  /** Milestone id → the proposed dates, status and evidence note, with the version they were read at. */
  milestones?: Record<string, MilestoneProposal>;
  /** Output claims for the quarter and forecasts of the final totals, applied through OutputsService on acceptance. */
  outputs?: OutputsProposal;
  /** The risk register is written as it is edited; the update records that it was reviewed. */
  risks?: { reviewed: boolean; changes: number };
}

/** One claim: what the project achieved for one claim key in one quarter (stored units). */
export interface OutputClaimProposal {
  metric: string;
  quarter: string;
  value: number;
  claimKey: string;
  evidence: string | null;
}

export interface OutputsProposal {
  claims: OutputClaimProposal[];
  /** Metric → forecast of the final total (stored units), with the plan's version when it was read. */
  forecasts: Record<string, { value: number; version: number | null }>;
  /** The person said the section is finished ("Have you completed this section?"). */
  complete: boolean;
}

export interface MilestoneProposal {
  forecastDate: string | null;
  actualDate: string | null;
  status: 'open' | 'complete';
  notes: string | null;
  version: number;
}

/**
 * One project's quarterly update for one quarter: drafted (by a delivery partner or the
 * programme manager), submitted, returned for revision with a comment, or accepted. Its figures
 * reach the spend profile only when it is accepted.
 */
@Entity('quarterly_update')
@Index(['projectId', 'quarter'], { unique: true })
@Index(['programmeId', 'quarter'])
@Index('IDX_quarterly_update_spend_state', ['spendState', 'programmeId'])
export class QuarterlyUpdate {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  programmeId: number;

  @Column({ type: 'int' })
  projectId: number;

  /** "2015-16 Q1" */
  @Column({ type: 'varchar', length: 10 })
  quarter: string;

  @Column({ type: 'varchar', length: 12 })
  status: Exclude<UpdateStatus, 'not_started'>;

  @Column({ type: 'text', transformer: jsonText })
  draft: UpdateDraft;

  @Column({ type: 'varchar', length: 200, nullable: true })
  submittedBy: string | null;

  @Column({ type: 'varchar', length: 30, nullable: true })
  submittedAt: string | null;

  /** Who submitted it, as a user (null for the command line's system actors): separation of duties. */
  @Column({ type: 'int', nullable: true })
  submittedByUserId: number | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  decidedBy: string | null;

  @Column({ type: 'varchar', length: 30, nullable: true })
  decidedAt: string | null;

  @Column({ type: 'int', nullable: true })
  decidedByUserId: number | null;

  /**
   * The spend actuals of an accepted update count only once finance confirms them: 'awaiting'
   * from acceptance (when it proposes an actual that differs) until 'confirmed'; null when
   * nothing is held (and for updates accepted before confirmation existed).
   */
  @Column({ type: 'varchar', length: 12, nullable: true })
  spendState: SpendState | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  spendConfirmedBy: string | null;

  @Column({ type: 'int', nullable: true })
  spendConfirmedByUserId: number | null;

  @Column({ type: 'varchar', length: 30, nullable: true })
  spendConfirmedAt: string | null;

  /** The programme manager's comment when returning it for revision. */
  @Column({ type: 'text', nullable: true })
  returnComment: string | null;

  @Column({ type: 'int', default: 1 })
  version: number;

  @Column({ type: 'varchar', length: 30 })
  updatedAt: string;
}
