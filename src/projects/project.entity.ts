import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Provenance } from '../common/provenance';

export const PROJECT_STATUSES = ['pipeline', 'approved', 'in_delivery', 'complete', 'withdrawn', 'on_hold'] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

@Entity('project')
@Index(['programmeId', 'code'], { unique: true })
export class Project {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  programmeId: number;

  @Index()
  @Column({ type: 'int', nullable: true })
  themeId: number | null;

  @Column({ type: 'varchar', length: 60 })
  code: string;

  @Column({ type: 'varchar', length: 300 })
  name: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'varchar', length: 300, nullable: true })
  location: string | null;

  @Column({ type: 'varchar', length: 20, default: 'approved' })
  status: ProjectStatus;

  @Column({ type: 'int', nullable: true })
  leadOrganisationId: number | null;

  /** A user's override of the computed overall RAG, with the reason (recorded in the audit trail). */
  @Column({ type: 'varchar', length: 5, nullable: true })
  ragOverride: 'green' | 'amber' | 'red' | null;

  @Column({ type: 'text', nullable: true })
  ragOverrideReason: string | null;

  @Column(() => Provenance, { prefix: 'source' })
  source: Provenance;

  @Column({ type: 'int', default: 1 })
  version: number;
}
