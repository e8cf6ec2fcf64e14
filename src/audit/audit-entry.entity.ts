import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { jsonText } from '../database/transformers';

/** One write: who, when, what, before and after. Written inside the write's own transaction. */
@Entity('audit_entry')
@Index(['programmeId', 'id'])
@Index(['projectId', 'id'])
export class AuditEntry {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 30 })
  at: string;

  @Column({ type: 'varchar', length: 200 })
  actor: string;

  @Column({ type: 'int', nullable: true })
  programmeId: number | null;

  @Column({ type: 'int', nullable: true })
  projectId: number | null;

  @Column({ type: 'varchar', length: 60 })
  entity: string;

  @Column({ type: 'varchar', length: 60, nullable: true })
  entityId: string | null;

  /** create | update | delete | approve | reject | submit | import | seed ... */
  @Column({ type: 'varchar', length: 40 })
  action: string;

  @Column({ type: 'text', nullable: true, transformer: jsonText })
  before: unknown;

  @Column({ type: 'text', nullable: true, transformer: jsonText })
  after: unknown;

  /** Extra facts (row counts, file hashes, reasons). */
  @Column({ type: 'text', nullable: true, transformer: jsonText })
  meta: Record<string, unknown> | null;
}
