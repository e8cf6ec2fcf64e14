import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Provenance } from '../common/provenance';

@Entity('theme')
@Index(['programmeId', 'code'], { unique: true })
export class Theme {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  programmeId: number;

  @Column({ type: 'varchar', length: 60 })
  code: string;

  @Column({ type: 'varchar', length: 300 })
  name: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'int', default: 0 })
  position: number;

  @Column(() => Provenance, { prefix: 'source' })
  source: Provenance;

  @Column({ type: 'int', default: 1 })
  version: number;
}
