import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { col } from './columns';

/**
 * Provenance on every money route: a repayment or prior-period adjustment names where its
 * figure comes from (the remittance advice, the ledger), as an allocation does.
 */
export class SpendAdjustmentProvenance1794300100000 implements MigrationInterface {
  name = 'SpendAdjustmentProvenance1794300100000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns(
      'spend_adjustment',
      col.provenance().map((c) => new TableColumn(c)),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const c of col.provenance().reverse()) await q.dropColumn('spend_adjustment', c.name);
  }
}
