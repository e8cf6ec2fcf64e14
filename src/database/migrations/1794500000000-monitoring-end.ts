import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { col } from './columns';

/**
 * A programme's monitoring end: outputs (jobs follow site access by years) may be recorded for
 * quarters after the programme ends, up to it. Null means the default, five years after the end.
 */
export class MonitoringEnd1794500000000 implements MigrationInterface {
  name = 'MonitoringEnd1794500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('programme', new TableColumn(col.str('monitoring_ends_on', 10, true)));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('programme', 'monitoring_ends_on');
  }
}
