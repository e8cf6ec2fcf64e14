import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * Two aggregates whose time grew faster than the data on SQLite (national scale bench):
 * - the national breakdown groups approved allocations by kind and period: an index in that
 *   order lets SQLite aggregate in one pass instead of sorting every row (n log n);
 * - a programme's delivered outputs (claims summed per metric × claim key × project) read the
 *   values from the index, already in group order, instead of the table.
 */
export class GroupedAggregateIndexes1760000660000 implements MigrationInterface {
  name = 'GroupedAggregateIndexes1760000660000';

  async up(q: QueryRunner): Promise<void> {
    await q.createIndex(
      'allocation',
      new TableIndex({
        name: 'IDX_allocation_national_grouped',
        columnNames: [
          'approval_state',
          'source_kind',
          'period_kind',
          'year_from',
          'year_to',
          'commitment_status',
          'amount_pence',
        ],
      }),
    );
    await q.createIndex(
      'output_actual',
      new TableIndex({
        name: 'IDX_output_actual_claims',
        columnNames: ['programme_id', 'metric_code', 'claim_key', 'project_id', 'value'],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('output_actual', 'IDX_output_actual_claims');
    await q.dropIndex('allocation', 'IDX_allocation_national_grouped');
  }
}
