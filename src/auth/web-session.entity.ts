import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A signed-in browser session (the staff pages). The cookie holds a 256-bit random id; the row
 * is keyed by its SHA-256, so the table cannot be replayed as cookies. `data` is the session's
 * JSON (user id, CSRF secret, flash message).
 */
@Entity('web_session')
export class WebSession {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  idSha256: string;

  @Index()
  @Column({ type: 'int', nullable: true })
  userId: number | null;

  @Column({ type: 'text' })
  data: string;

  @Column({ type: 'varchar', length: 30 })
  createdAt: string;

  @Index()
  @Column({ type: 'varchar', length: 30 })
  lastSeenAt: string;
}
