import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A written comment on one warning of a quarter's return, kept until the return is submitted
 * (and for a resubmission after it): keyed by check code, as the submitted version's comments.
 */
@Entity('return_comment')
@Index(['programmeId', 'quarter', 'checkCode'], { unique: true })
export class ReturnComment {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  programmeId: number;

  /** "2015-16 Q1" */
  @Column({ type: 'varchar', length: 10 })
  quarter: string;

  @Column({ type: 'varchar', length: 60 })
  checkCode: string;

  @Column({ type: 'text' })
  comment: string;

  @Column({ type: 'varchar', length: 200 })
  updatedBy: string;

  @Column({ type: 'varchar', length: 30 })
  updatedAt: string;
}
