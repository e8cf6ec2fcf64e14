import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A personal API token `gdt_<publicId>_<secret>`. Only the SHA-256 of the secret is kept
 * (a 256-bit random secret needs no slow hash); the public id makes lookup one indexed read.
 */
@Entity('api_token')
export class ApiToken {
  @PrimaryGeneratedColumn()
  id: number;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 32 })
  publicId: string;

  @Column({ type: 'varchar', length: 64 })
  secretSha256: string;

  @Index()
  @Column({ type: 'int' })
  userId: number;

  @Column({ type: 'varchar', length: 200, nullable: true })
  label: string | null;

  @Column({ type: 'varchar', length: 30 })
  createdAt: string;

  @Column({ type: 'varchar', length: 30 })
  expiresAt: string;

  @Column({ type: 'varchar', length: 30, nullable: true })
  revokedAt: string | null;

  @Column({ type: 'varchar', length: 30, nullable: true })
  lastUsedAt: string | null;
}
