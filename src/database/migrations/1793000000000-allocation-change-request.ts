import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { col } from './columns';

/**
 * An allocation created by an approved change request (a year split off by reprofile_years, a
 * new line of a reallocation, an added project's money) names that request, so a derived row
 * never loses where it came from: its quote is the deal's, its amount the change's.
 */
export class AllocationChangeRequest1793000000000 implements MigrationInterface {
  name = 'AllocationChangeRequest1793000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('allocation', new TableColumn(col.int('change_request_number', true)));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('allocation', 'change_request_number');
  }
}
