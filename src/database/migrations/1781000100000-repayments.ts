import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { col } from './columns';

/**
 * A promoter's repayment of money it had spent is a negative spend line with its reference,
 * recorded in the quarter it is received, never a rewrite of past actuals. It shares the
 * adjustments table (both count in spend to date as spend/outturn.ts defines it); `kind` tells
 * them apart and `reference` holds the remittance or invoice reference.
 */
export class Repayments1781000100000 implements MigrationInterface {
  name = 'Repayments1781000100000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('spend_adjustment', new TableColumn(col.str('kind', 30, false, 'prior_period_adjustment')));
    await q.addColumn('spend_adjustment', new TableColumn(col.str('reference', 200, true)));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('spend_adjustment', 'reference');
    await q.dropColumn('spend_adjustment', 'kind');
  }
}
