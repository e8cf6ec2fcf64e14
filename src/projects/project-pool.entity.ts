import { Column, Entity, Index, JoinTable, ManyToMany, PrimaryGeneratedColumn } from 'typeorm';
import { Provenance } from '../common/provenance';
import { Project } from './project.entity';

/** A group of projects that money is committed to without a split (e.g. private match). */
@Entity('project_pool')
@Index(['programmeId', 'code'], { unique: true })
export class ProjectPool {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  programmeId: number;

  @Column({ type: 'int', nullable: true })
  themeId: number | null;

  @Column({ type: 'varchar', length: 60 })
  code: string;

  @Column({ type: 'varchar', length: 300 })
  name: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @ManyToMany(() => Project)
  @JoinTable({
    name: 'project_pool_member',
    joinColumn: { name: 'pool_id' },
    inverseJoinColumn: { name: 'project_id' },
  })
  projects: Project[];

  @Column(() => Provenance, { prefix: 'source' })
  source: Provenance;

  @Column({ type: 'int', default: 1 })
  version: number;
}
