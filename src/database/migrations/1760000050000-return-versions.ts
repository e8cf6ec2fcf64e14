import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { col, fk } from './columns';

/** Submitted (frozen) quarterly returns; their presence closes a quarter. */
export class ReturnVersions1760000050000 implements MigrationInterface {
  name = 'ReturnVersions1760000050000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'return_version',
        columns: [
          col.id(),
          col.int('programme_id'),
          col.str('quarter', 10),
          col.int('version'),
          col.str('status', 12, false, 'submitted'),
          col.text('snapshot', false),
          col.str('snapshot_sha256', 64),
          col.text('xlsx_base64'),
          col.str('xlsx_sha256', 64, true),
          col.text('reason'),
          col.text('comments'),
          col.str('submitted_by', 200),
          col.str('submitted_at', 30),
        ],
        uniques: [{ columnNames: ['programme_id', 'quarter', 'version'] }],
        foreignKeys: [fk('programme_id', 'programme', 'CASCADE')],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('return_version');
  }
}
