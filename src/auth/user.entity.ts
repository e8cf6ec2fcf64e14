import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { Role } from './roles.decorator';

/**
 * A person: signs in to the staff pages with a password (argon2id hash) and calls the API
 * with personal tokens. There is no default user or password.
 */
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

  /** argon2id (PHC string); null until a password is set. Never leaves the auth service. */
  @Column({ type: 'varchar', length: 200, nullable: true, select: false })
  passwordHash: string | null;

  @Column({ type: 'varchar', length: 30, nullable: true })
  passwordChangedAt: string | null;

  /** Failed sign-ins since the last success: shown to the user as a notice when they next sign in. */
  @Column({ type: 'int', default: 0 })
  failedSignIns: number;

  @Column({ type: 'varchar', length: 30, nullable: true })
  lastSignInAt: string | null;
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

/**
 * Failed sign-ins for one account from one client address: rising delays, then a lock that
 * only an admin clears. Keyed by both, so failures elsewhere never refuse a valid password.
 */
@Entity('sign_in_throttle')
@Index(['userId', 'client'], { unique: true })
export class SignInThrottle {
  @PrimaryGeneratedColumn()
  id: number;

  /** 0 when the email matched no user. */
  @Column({ type: 'int' })
  userId: number;

  @Column({ type: 'varchar', length: 64 })
  client: string;

  @Column({ type: 'int', default: 0 })
  failures: number;

  @Column({ type: 'varchar', length: 30 })
  lastFailedAt: string;

  @Column({ type: 'varchar', length: 30, nullable: true })
  lockedAt: string | null;
}
