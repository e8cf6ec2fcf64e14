import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { col } from './columns';

/**
 * A change request replayed from illustrative demo data says so, so that every figure it moved
 * can be marked illustrative wherever it appears (the deal as agreed beside the current
 * allocation). Requests the demo loader made before this column existed are recognised by the
 * demo's own proposer name.
 */
export class ChangeRequestIllustrative1795300000000 implements MigrationInterface {
  name = 'ChangeRequestIllustrative1795300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('change_request', new TableColumn(col.bool('illustrative')));
    await q.query(
      `UPDATE change_request SET illustrative = ${q.connection.options.type === 'postgres' ? 'TRUE' : '1'} WHERE created_by = 'demo programme manager (illustrative)'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('change_request', 'illustrative');
  }
}
