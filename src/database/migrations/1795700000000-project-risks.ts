import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { col, fk } from './columns';

/** Projects' risk registers: description, likelihood and impact (1–5), mitigation, owner, open or closed. */
export class ProjectRisks1795700000000 implements MigrationInterface {
  name = 'ProjectRisks1795700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'project_risk',
        columns: [
          col.id(),
          col.int('programme_id'),
          col.int('project_id'),
          col.text('description', false),
          col.int('likelihood'),
          col.int('impact'),
          col.text('mitigation'),
          col.str('owner', 200),
          col.str('status', 10, false, 'open'),
          col.str('raised_in', 10),
          col.str('closed_in', 10, true),
          col.version(),
          col.str('updated_at', 30),
        ],
        indices: [{ columnNames: ['project_id', 'status'] }],
        foreignKeys: [fk('programme_id', 'programme', 'CASCADE'), fk('project_id', 'project', 'CASCADE')],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('project_risk');
  }
}
