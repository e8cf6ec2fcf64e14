import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { col, fk } from './columns';

/** Assumptions the 360Giving export needs but the source does not give (editable, shown as "not from source"). */
export class OpenDataAssumptions1760000500000 implements MigrationInterface {
  name = 'OpenDataAssumptions1760000500000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'open_data_assumption',
        columns: [
          col.id(),
          col.int('programme_id'),
          col.str('key', 120),
          col.str('value', 300),
          col.text('note'),
          col.version(),
          col.str('updated_at', 30),
        ],
        uniques: [{ columnNames: ['programme_id', 'key'] }],
        foreignKeys: [fk('programme_id', 'programme', 'CASCADE')],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('open_data_assumption');
  }
}
