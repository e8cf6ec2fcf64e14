import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { col, fk } from './columns';

/** Characters per piece when existing snapshots are cut (new ones come in the writer's pieces). */
const PIECE = 262144;

/**
 * A submitted return's frozen JSON moves out of return_version into ordered pieces
 * (return_snapshot_piece): on SQLite, writing a large programme's 10 MB snapshot as one value
 * built the value and its row record in memory at once (about 30 MB above the submitting
 * process's working set). The text is unchanged: the pieces joined are the column's exact
 * characters. Existing snapshots are cut by the database (substr counts characters on both).
 */
export class ReturnSnapshotPieces1796100000000 implements MigrationInterface {
  name = 'ReturnSnapshotPieces1796100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'return_snapshot_piece',
        columns: [
          { ...col.int('version_id'), isPrimary: true },
          { ...col.int('n'), isPrimary: true },
          col.text('text', false),
        ],
        foreignKeys: [fk('version_id', 'return_version', 'CASCADE')],
      }),
    );
    const pg = q.connection.options.type === 'postgres';
    const p = (n: number) => (pg ? `$${n}` : '?');
    const versions: { id: unknown; len: unknown }[] = await q.query(
      'SELECT id, length(snapshot) AS len FROM return_version ORDER BY id',
    );
    for (const v of versions) {
      const pieces = Math.max(1, Math.ceil(Number(v.len) / PIECE));
      for (let n = 0; n < pieces; n++)
        await q.query(
          `INSERT INTO return_snapshot_piece (version_id, n, text)
           SELECT id, ${p(1)}, substr(snapshot, ${p(2)}, ${p(3)}) FROM return_version WHERE id = ${p(4)}`,
          [n, n * PIECE + 1, PIECE, Number(v.id)],
        );
    }
    // A plain DROP COLUMN on both (SQLite 3.35+): the table is not rebuilt, so the pieces'
    // foreign key to it is never dropped and re-made around their rows.
    await q.query('ALTER TABLE return_version DROP COLUMN snapshot');
  }

  async down(q: QueryRunner): Promise<void> {
    const pg = q.connection.options.type === 'postgres';
    await q.query(`ALTER TABLE return_version ADD COLUMN snapshot text NOT NULL DEFAULT ''`);
    await q.query(
      `UPDATE return_version SET snapshot = COALESCE((SELECT ${
        pg ? `string_agg(p.text, '' ORDER BY p.n)` : `group_concat(p.text, '' ORDER BY p.n)`
      } FROM return_snapshot_piece p WHERE p.version_id = return_version.id), '')`,
    );
    await q.dropTable('return_snapshot_piece');
  }
}
