import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { col, fk } from './columns';

/** Projects' quarterly updates (draft → submitted → returned/accepted), drafted in the staff pages. */
export class QuarterlyUpdates1785500000000 implements MigrationInterface {
  name = 'QuarterlyUpdates1785500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'quarterly_update',
        columns: [
          col.id(),
          col.int('programme_id'),
          col.int('project_id'),
          col.str('quarter', 10),
          col.str('status', 12),
          col.text('draft', false),
          col.str('submitted_by', 200, true),
          col.str('submitted_at', 30, true),
          col.str('decided_by', 200, true),
          col.str('decided_at', 30, true),
          col.text('return_comment'),
          col.version(),
          col.str('updated_at', 30),
        ],
        uniques: [{ columnNames: ['project_id', 'quarter'] }],
        indices: [{ columnNames: ['programme_id', 'quarter'] }],
        foreignKeys: [fk('programme_id', 'programme', 'CASCADE'), fk('project_id', 'project', 'CASCADE')],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('quarterly_update');
  }
}
