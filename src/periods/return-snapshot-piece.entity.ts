import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One piece of a submitted return's frozen JSON, in order (`n` from 0): the snapshot is the
 * pieces' text joined. Stored in pieces so that no statement ever writes (or a reader must
 * hold) the whole of a large programme's snapshot as one value: on SQLite writing a 10 MB value
 * builds it and its record in memory at once. Removed with its version (ON DELETE CASCADE).
 */
@Entity('return_snapshot_piece')
export class ReturnSnapshotPiece {
  @PrimaryColumn({ type: 'int' })
  versionId: number;

  @PrimaryColumn({ type: 'int' })
  n: number;

  @Column({ type: 'text' })
  text: string;
}
