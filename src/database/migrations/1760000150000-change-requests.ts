import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { col, fk } from './columns';

/** Change requests (proposals that move approved money or dates) and the programme's envelope per source kind. */
export class ChangeRequests1760000150000 implements MigrationInterface {
  name = 'ChangeRequests1760000150000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'change_request',
        columns: [
          col.id(),
          col.int('programme_id'),
          col.int('number'),
          col.str('kind', 40),
          col.str('title', 300),
          col.text('reason', false),
          col.text('evidence'),
          col.str('state', 12, false, 'draft'),
          col.text('payload', false),
          // "|12|7|": the projects a change touches, for filtering lists without a join table.
          col.text('project_ids'),
          col.text('before'),
          col.text('after'),
          col.str('created_by', 200),
          col.int('created_by_id', true),
          col.str('created_at', 30),
          col.str('submitted_by', 200, true),
          col.int('submitted_by_id', true),
          col.str('submitted_at', 30, true),
          col.str('decided_by', 200, true),
          col.int('decided_by_id', true),
          col.str('decided_at', 30, true),
          col.text('decision_reason'),
          col.version(),
        ],
        uniques: [{ columnNames: ['programme_id', 'number'] }],
        indices: [{ columnNames: ['programme_id', 'state'] }],
        foreignKeys: [fk('programme_id', 'programme', 'CASCADE')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'programme_envelope',
        columns: [
          col.id(),
          col.int('programme_id'),
          col.str('source_kind', 40),
          col.bigint('amount_pence'),
          col.str('updated_at', 30),
          col.version(),
        ],
        uniques: [{ columnNames: ['programme_id', 'source_kind'] }],
        foreignKeys: [fk('programme_id', 'programme', 'CASCADE'), fk('source_kind', 'source_kind', 'RESTRICT', 'code')],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('programme_envelope');
    await q.dropTable('change_request');
  }
}
