import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';
import { col } from './columns';

/**
 * A quarterly update's spend actuals count only once finance confirms them: an accepted update
 * holds its proposed actuals "awaiting" until a finance user (not the one who submitted it)
 * confirms. The submitter's user id makes separation of duties exact (names can repeat).
 * Updates accepted before this column existed had their actuals applied then: they stay null.
 */
export class UpdateSpendConfirmation1796040000000 implements MigrationInterface {
  name = 'UpdateSpendConfirmation1796040000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('quarterly_update', [
      new TableColumn(col.int('submitted_by_user_id', true)),
      new TableColumn(col.int('decided_by_user_id', true)),
      new TableColumn(col.str('spend_state', 12, true)),
      new TableColumn(col.str('spend_confirmed_by', 200, true)),
      new TableColumn(col.int('spend_confirmed_by_user_id', true)),
      new TableColumn(col.str('spend_confirmed_at', 30, true)),
    ]);
    await q.createIndex(
      'quarterly_update',
      new TableIndex({ name: 'IDX_quarterly_update_spend_state', columnNames: ['spend_state', 'programme_id'] }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('quarterly_update', 'IDX_quarterly_update_spend_state');
    for (const c of [
      'spend_confirmed_at',
      'spend_confirmed_by_user_id',
      'spend_confirmed_by',
      'spend_state',
      'decided_by_user_id',
      'submitted_by_user_id',
    ])
      await q.dropColumn('quarterly_update', c);
  }
}
