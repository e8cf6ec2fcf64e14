import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { jsonText } from '../database/transformers';

/**
 * A submitted quarterly return, frozen: the JSON snapshot as exact text (never jsonb, which
 * reorders keys; kept in ordered pieces, return-snapshot-piece.entity.ts) and the xlsx bytes
 * (base64), each with its SHA-256. A resubmission is a
 * new row with version n+1 and a reason. A quarter with a row here is closed (its actuals lock).
 */
@Entity('return_version')
@Index(['programmeId', 'quarter', 'version'], { unique: true })
export class ReturnVersion {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  programmeId: number;

  /** "2015-16 Q1" */
  @Column({ type: 'varchar', length: 10 })
  quarter: string;

  @Column({ type: 'int' })
  version: number;

  @Column({ type: 'varchar', length: 12, default: 'submitted' })
  status: 'submitted';

  @Column({ type: 'varchar', length: 64 })
  snapshotSha256: string;

  @Column({ type: 'text', nullable: true })
  xlsxBase64: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  xlsxSha256: string | null;

  /** Why a resubmission was made (required from version 2). */
  @Column({ type: 'text', nullable: true })
  reason: string | null;

  /** Written comments on warnings, keyed by check code. */
  @Column({ type: 'text', nullable: true, transformer: jsonText })
  comments: Record<string, string> | null;

  @Column({ type: 'varchar', length: 200 })
  submittedBy: string;

  /** The wall-clock instant of the submission (ISO, UTC): recorded, never used to place things in quarters. */
  @Column({ type: 'varchar', length: 30 })
  submittedAt: string;

  /** The programme date of the submission ("YYYY-MM-DD", programme time: its as-of date, or a replay's own date). */
  @Column({ type: 'varchar', length: 10, nullable: true })
  submittedOn: string | null;
}
