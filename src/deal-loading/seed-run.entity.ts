import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One row per seed file loaded, so a restart never loads the same seed twice. */
@Entity('seed_run')
export class SeedRun {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 100, unique: true })
  name: string;

  @Column({ type: 'varchar', length: 64 })
  sha256: string;

  @Column({ type: 'varchar', length: 30 })
  loadedAt: string;

  @Column({ type: 'int', default: 0 })
  rowCount: number;
}
