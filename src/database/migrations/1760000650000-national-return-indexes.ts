import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * Indexes for the national return's per-page aggregate (projects by id, every quarter of their
 * profile): each covers its query, so SQLite and PostgreSQL answer from the index alone.
 * - spend_profile by project × kind × quarter with the three amounts;
 * - approved allocations of a project by kind with the amount (the existing allocation
 *   indexes lead with programme or approval state, so a page of projects scanned them all);
 * - prior-period adjustments of a project by kind and recorded quarter.
 */
export class NationalReturnIndexes1760000650000 implements MigrationInterface {
  name = 'NationalReturnIndexes1760000650000';

  async up(q: QueryRunner): Promise<void> {
    await q.createIndex(
      'spend_profile',
      new TableIndex({
        name: 'IDX_spend_profile_project_cover',
        columnNames: [
          'project_id',
          'source_kind',
          'quarter',
          'baseline_pence',
          'forecast_pence',
          'actual_pence',
          'illustrative',
        ],
      }),
    );
    await q.createIndex(
      'allocation',
      new TableIndex({
        name: 'IDX_allocation_project',
        columnNames: ['project_id', 'approval_state', 'commitment_status', 'source_kind', 'amount_pence'],
      }),
    );
    await q.createIndex(
      'spend_adjustment',
      new TableIndex({
        name: 'IDX_spend_adjustment_project',
        columnNames: ['project_id', 'source_kind', 'recorded_in_quarter', 'amount_pence'],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('spend_adjustment', 'IDX_spend_adjustment_project');
    await q.dropIndex('allocation', 'IDX_allocation_project');
    await q.dropIndex('spend_profile', 'IDX_spend_profile_project_cover');
  }
}
