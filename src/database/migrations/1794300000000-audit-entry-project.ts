import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { col, fk } from './columns';

/**
 * A bulk write (an actuals import, a partner workbook, a deal load, an approval moving money
 * between projects) is one audit entry, yet it touches many projects. This table links the
 * entry to each project it touched, so a project's audit trail lists it. No foreign key to the
 * project: the trail outlives a deleted project, as audit_entry.project_id does.
 */
export class AuditEntryProject1794300000000 implements MigrationInterface {
  name = 'AuditEntryProject1794300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'audit_entry_project',
        columns: [
          { ...col.int('audit_entry_id'), isPrimary: true },
          { ...col.int('project_id'), isPrimary: true },
        ],
        foreignKeys: [fk('audit_entry_id', 'audit_entry', 'CASCADE')],
      }),
    );
    await q.createIndex(
      'audit_entry_project',
      new TableIndex({ name: 'idx_audit_entry_project_project', columnNames: ['project_id', 'audit_entry_id'] }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('audit_entry_project');
  }
}
