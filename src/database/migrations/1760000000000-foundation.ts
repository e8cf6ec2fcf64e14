import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { col, fk } from './columns';

/** Organisations, programmes, themes, projects, pools, funding and headline figures. */
export class Foundation1760000000000 implements MigrationInterface {
  name = 'Foundation1760000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'organisation',
        columns: [
          col.id(),
          col.str('code', 60),
          col.str('name', 300),
          col.str('kind', 20),
          col.str('identifier', 100, true),
          col.bool('identifier_assumed'),
          col.version(),
        ],
        uniques: [{ columnNames: ['code'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'programme',
        columns: [
          col.id(),
          col.str('code', 60),
          col.str('name', 300),
          col.text('description'),
          col.int('lep_organisation_id', true),
          col.str('starts_on', 10),
          col.str('ends_on', 10),
          col.str('first_quarter', 10),
          col.text('rag_thresholds'),
          col.bool('synthetic'),
          col.version(),
        ],
        uniques: [{ columnNames: ['code'] }],
        foreignKeys: [fk('lep_organisation_id', 'organisation')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'theme',
        columns: [
          col.id(),
          col.int('programme_id'),
          col.str('code', 60),
          col.str('name', 300),
          col.text('description'),
          col.int('position', false, 0),
          ...col.provenance(),
          col.version(),
        ],
        uniques: [{ columnNames: ['programme_id', 'code'] }],
        foreignKeys: [fk('programme_id', 'programme', 'CASCADE')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'project',
        columns: [
          col.id(),
          col.int('programme_id'),
          col.int('theme_id', true),
          col.str('code', 60),
          col.str('name', 300),
          col.text('description'),
          col.str('location', 300, true),
          col.str('status', 20, false, 'approved'),
          col.int('lead_organisation_id', true),
          col.str('rag_override', 5, true),
          col.text('rag_override_reason'),
          ...col.provenance(),
          col.version(),
        ],
        uniques: [{ columnNames: ['programme_id', 'code'] }],
        indices: [{ columnNames: ['theme_id'] }],
        foreignKeys: [
          fk('programme_id', 'programme', 'CASCADE'),
          fk('theme_id', 'theme', 'SET NULL'),
          fk('lead_organisation_id', 'organisation', 'SET NULL'),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'project_pool',
        columns: [
          col.id(),
          col.int('programme_id'),
          col.int('theme_id', true),
          col.str('code', 60),
          col.str('name', 300),
          col.text('description'),
          ...col.provenance(),
          col.version(),
        ],
        uniques: [{ columnNames: ['programme_id', 'code'] }],
        foreignKeys: [fk('programme_id', 'programme', 'CASCADE'), fk('theme_id', 'theme', 'SET NULL')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'project_pool_member',
        columns: [
          { name: 'pool_id', type: 'integer', isPrimary: true },
          { name: 'project_id', type: 'integer', isPrimary: true },
        ],
        indices: [{ columnNames: ['project_id'] }],
        foreignKeys: [fk('pool_id', 'project_pool', 'CASCADE'), fk('project_id', 'project', 'CASCADE')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'source_kind',
        columns: [
          { name: 'code', type: 'varchar', length: '40', isPrimary: true },
          col.str('label', 200),
          col.text('description'),
          col.bool('capital', true),
          col.bool('is_match'),
          col.int('position', false, 0),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'allocation',
        columns: [
          col.id(),
          col.int('programme_id'),
          col.str('source_kind', 40),
          col.int('project_id', true),
          col.int('pool_id', true),
          col.str('period_kind', 12),
          col.int('year_from', true),
          col.int('year_to', true),
          col.bigint('amount_pence'),
          col.str('commitment_status', 12, false, 'confirmed'),
          col.str('approval_state', 10, false, 'draft'),
          col.text('description'),
          ...col.provenance(),
          col.version(),
          col.str('created_at', 30),
          col.str('updated_at', 30),
        ],
        indices: [
          { columnNames: ['programme_id', 'source_kind'] },
          { columnNames: ['project_id'] },
          { columnNames: ['pool_id'] },
        ],
        foreignKeys: [
          fk('programme_id', 'programme', 'CASCADE'),
          fk('source_kind', 'source_kind', 'RESTRICT', 'code'),
          fk('project_id', 'project', 'RESTRICT'),
          fk('pool_id', 'project_pool', 'RESTRICT'),
        ],
        checks: [
          { expression: `"period_kind" IN ('year','range','unprofiled')` },
          { expression: `NOT ("project_id" IS NOT NULL AND "pool_id" IS NOT NULL)` },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'headline_figure',
        columns: [
          col.id(),
          col.int('programme_id'),
          col.str('code', 80),
          col.str('measure', 80),
          col.str('label', 300),
          col.str('qualifier', 10),
          col.str('unit', 10),
          col.bigint('value'),
          col.bigint('precision'),
          col.text('rule', false),
          col.str('table_name', 100, true),
          col.str('table_row', 200, true),
          col.str('table_column', 100, true),
          col.text('notes'),
          ...col.provenance(),
          col.version(),
        ],
        uniques: [{ columnNames: ['programme_id', 'code'] }],
        foreignKeys: [fk('programme_id', 'programme', 'CASCADE')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'seed_run',
        columns: [
          col.id(),
          col.str('name', 100),
          col.str('sha256', 64),
          col.str('loaded_at', 30),
          col.int('row_count', false, 0),
        ],
        uniques: [{ columnNames: ['name'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'audit_entry',
        columns: [
          col.id(),
          col.str('at', 30),
          col.str('actor', 200),
          col.int('programme_id', true),
          col.int('project_id', true),
          col.str('entity', 60),
          col.str('entity_id', 60, true),
          col.str('action', 40),
          col.text('before'),
          col.text('after'),
          col.text('meta'),
        ],
        indices: [{ columnNames: ['programme_id', 'id'] }, { columnNames: ['project_id', 'id'] }],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'audit_entry',
      'seed_run',
      'headline_figure',
      'allocation',
      'source_kind',
      'project_pool_member',
      'project_pool',
      'project',
      'theme',
      'programme',
      'organisation',
    ]) {
      await q.dropTable(t);
    }
  }
}
