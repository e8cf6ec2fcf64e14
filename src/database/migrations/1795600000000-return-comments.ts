import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { col, fk } from './columns';

/**
 * Comments on a quarter's return warnings written before it is submitted (the staff pages
 * answer each warning in place): one per programme, quarter and check code. Submitting copies
 * those that answer a warning into the version's `comments`, keyed by check code as the API's.
 */
export class ReturnComments1795600000000 implements MigrationInterface {
  name = 'ReturnComments1795600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'return_comment',
        columns: [
          col.id(),
          col.int('programme_id'),
          col.str('quarter', 10),
          col.str('check_code', 60),
          col.text('comment', false),
          col.str('updated_by', 200),
          col.str('updated_at', 30),
        ],
        uniques: [{ columnNames: ['programme_id', 'quarter', 'check_code'] }],
        foreignKeys: [fk('programme_id', 'programme', 'CASCADE')],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('return_comment');
  }
}
