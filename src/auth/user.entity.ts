import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { Role } from './roles.decorator';

/** A person who signs in with personal API tokens. There is no password and no default user. */
@Entity('app_user')
export class User {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** Stored lower-case; unique. */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 320 })
  email: string;

  @Column({ type: 'varchar', length: 30 })
  role: Role;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @Column({ type: 'varchar', length: 30 })
  createdAt: string;

  @Column({ type: 'int', default: 1 })
  version: number;
}

/** A programme manager's assigned project: their writes about other projects are refused. */
@Entity('user_project')
@Index(['userId', 'projectId'], { unique: true })
export class UserProject {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  userId: number;

  @Index()
  @Column({ type: 'int' })
  projectId: number;
}
