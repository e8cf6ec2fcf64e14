import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * Indexes that fit the aggregates at national scale:
 * - one programme's reconciliation/breakdown filters allocation by programme and approval
 *   state (and groups by status and kind);
 * - the national breakdown reads approved allocations of every programme by kind, status and
 *   year: the second index covers it (amount included), so PostgreSQL can answer from the index.
 */
export class ScaleIndexes1760000600000 implements MigrationInterface {
  name = 'ScaleIndexes1760000600000';

  async up(q: QueryRunner): Promise<void> {
    await q.createIndex(
      'allocation',
      new TableIndex({
        name: 'IDX_allocation_programme_approval',
        columnNames: ['programme_id', 'approval_state', 'commitment_status', 'source_kind'],
      }),
    );
    await q.createIndex(
      'allocation',
      new TableIndex({
        name: 'IDX_allocation_national',
        columnNames: [
          'approval_state',
          'source_kind',
          'commitment_status',
          'period_kind',
          'year_from',
          'year_to',
          'amount_pence',
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('allocation', 'IDX_allocation_national');
    await q.dropIndex('allocation', 'IDX_allocation_programme_approval');
  }
}
