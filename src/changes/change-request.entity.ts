import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { jsonText } from '../database/transformers';

export const CHANGE_STATES = ['draft', 'submitted', 'approved', 'rejected', 'withdrawn'] as const;
export type ChangeState = (typeof CHANGE_STATES)[number];

/**
 * A proposal to move approved money, dates or projects. Nothing it describes happens until it
 * is approved; approval applies it in one transaction and keeps what it changed (before/after).
 */
@Entity('change_request')
@Index(['programmeId', 'number'], { unique: true })
export class ChangeRequest {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  programmeId: number;

  /** 1, 2, 3 ... within the programme: what people quote ("change request 7"). */
  @Column({ type: 'int' })
  number: number;

  @Column({ type: 'varchar', length: 40 })
  kind: string;

  @Column({ type: 'varchar', length: 300 })
  title: string;

  @Column({ type: 'text' })
  reason: string;

  @Column({ type: 'text', nullable: true })
  evidence: string | null;

  @Column({ type: 'varchar', length: 12, default: 'draft' })
  state: ChangeState;

  @Column({ type: 'text', transformer: jsonText })
  payload: unknown;

  @Column({ type: 'text', nullable: true })
  projectIds: string | null;

  /** What the approval changed, as it was before and after (recorded at approval). */
  @Column({ type: 'text', nullable: true, transformer: jsonText })
  before: unknown;

  @Column({ type: 'text', nullable: true, transformer: jsonText })
  after: unknown;

  @Column({ type: 'varchar', length: 200 })
  createdBy: string;

  @Column({ type: 'int', nullable: true })
  createdById: number | null;

  @Column({ type: 'varchar', length: 30 })
  createdAt: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  submittedBy: string | null;

  @Column({ type: 'int', nullable: true })
  submittedById: number | null;

  @Column({ type: 'varchar', length: 30, nullable: true })
  submittedAt: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  decidedBy: string | null;

  @Column({ type: 'int', nullable: true })
  decidedById: number | null;

  /** The wall-clock instant of the decision (or a replay's own instant): recorded. */
  @Column({ type: 'varchar', length: 30, nullable: true })
  decidedAt: string | null;

  /** The programme quarter the decision belongs to ("2016-17 Q4"): the reporting quarter when decided. */
  @Column({ type: 'varchar', length: 10, nullable: true })
  decidedQuarter: string | null;

  @Column({ type: 'text', nullable: true })
  decisionReason: string | null;

  /** Replayed from illustrative demo data: everything it moved is marked illustrative. */
  @Column({ type: 'boolean', default: false })
  illustrative: boolean;

  @Column({ type: 'int', default: 1 })
  version: number;
}
