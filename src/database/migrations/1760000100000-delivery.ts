import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { col, fk } from './columns';

/** The core output metrics of DESIGN.md: stored as integers of a smaller unit (scale per metric unit). */
export const CORE_METRICS: { code: string; name: string; unit: string; storedUnit: string; scale: number }[] = [
  { code: 'JOBS_CREATED', name: 'Jobs created (gross, FTE, permanent)', unit: 'count', storedUnit: 'count', scale: 1 },
  { code: 'JOBS_SAFEGUARDED', name: 'Jobs safeguarded', unit: 'count', storedUnit: 'count', scale: 1 },
  { code: 'HOMES_COMPLETED', name: 'Housing units completed', unit: 'count', storedUnit: 'count', scale: 1 },
  { code: 'HOMES_STARTED', name: 'Housing units started', unit: 'count', storedUnit: 'count', scale: 1 },
  { code: 'FLOORSPACE', name: 'Commercial floorspace constructed', unit: 'm2', storedUnit: 'm2', scale: 1 },
  {
    code: 'SITE_AREA',
    name: 'Employment land unlocked',
    unit: 'ha',
    storedUnit: 'hundredths of a hectare',
    scale: 100,
  },
  { code: 'ROAD_NEW', name: 'New road built', unit: 'km', storedUnit: 'metres', scale: 1000 },
  { code: 'ROAD_IMPROVED', name: 'Road improved or resurfaced', unit: 'km', storedUnit: 'metres', scale: 1000 },
  { code: 'LEARNERS', name: 'Learners assisted', unit: 'count', storedUnit: 'count', scale: 1 },
  { code: 'APPRENTICES', name: 'Apprenticeships started', unit: 'count', storedUnit: 'count', scale: 1 },
  {
    code: 'LEARNING_FLOORSPACE',
    name: 'New or refurbished learning floorspace',
    unit: 'm2',
    storedUnit: 'm2',
    scale: 1,
  },
  { code: 'PRIVATE_INVESTMENT', name: 'Follow-on private investment', unit: 'gbp', storedUnit: 'pence', scale: 100 },
];

/** Spend profiles and adjustments, milestones, the output metric dictionary, targets and claims. */
export class Delivery1760000100000 implements MigrationInterface {
  name = 'Delivery1760000100000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'spend_profile',
        columns: [
          col.id(),
          col.int('programme_id'),
          col.int('project_id'),
          col.str('source_kind', 40),
          col.str('quarter', 10),
          col.bigint('baseline_pence'),
          col.bigint('forecast_pence'),
          col.bigint('actual_pence', true),
          col.bool('illustrative'),
          col.version(),
          col.str('updated_at', 30),
        ],
        uniques: [{ columnNames: ['project_id', 'source_kind', 'quarter'] }],
        indices: [
          { columnNames: ['programme_id', 'project_id', 'source_kind'] },
          { columnNames: ['programme_id', 'quarter'] },
        ],
        foreignKeys: [
          fk('programme_id', 'programme', 'CASCADE'),
          fk('project_id', 'project', 'RESTRICT'),
          fk('source_kind', 'source_kind', 'RESTRICT', 'code'),
        ],
        checks: [
          {
            expression: `"baseline_pence" >= 0 AND "forecast_pence" >= 0 AND ("actual_pence" IS NULL OR "actual_pence" >= 0)`,
          },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'spend_adjustment',
        columns: [
          col.id(),
          col.int('programme_id'),
          col.int('project_id'),
          col.str('source_kind', 40),
          col.str('recorded_in_quarter', 10),
          col.str('corrects_quarter', 10),
          col.bigint('amount_pence'),
          col.text('reason', false),
          col.str('recorded_by', 200),
          col.str('recorded_at', 30),
          col.bool('illustrative'),
        ],
        indices: [
          { columnNames: ['programme_id', 'project_id', 'source_kind'] },
          { columnNames: ['programme_id', 'recorded_in_quarter'] },
        ],
        foreignKeys: [
          fk('programme_id', 'programme', 'CASCADE'),
          fk('project_id', 'project', 'RESTRICT'),
          fk('source_kind', 'source_kind', 'RESTRICT', 'code'),
        ],
        checks: [{ expression: `"amount_pence" <> 0` }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'milestone',
        columns: [
          col.id(),
          col.int('programme_id'),
          col.int('project_id', true),
          col.str('code', 60, true),
          col.str('kind', 20),
          col.str('title', 300),
          col.str('owner', 20, true),
          col.str('baseline_date', 10, true),
          col.str('forecast_date', 10, true),
          col.str('actual_date', 10, true),
          col.str('status', 12, false, 'open'),
          col.str('due_words', 200, true),
          col.bool('date_interpreted'),
          col.text('notes'),
          ...col.provenance(),
          col.version(),
          col.str('updated_at', 30),
        ],
        indices: [{ columnNames: ['programme_id', 'project_id'] }],
        foreignKeys: [fk('programme_id', 'programme', 'CASCADE'), fk('project_id', 'project', 'RESTRICT')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'output_metric',
        columns: [
          { name: 'code', type: 'varchar', length: '40', isPrimary: true },
          col.str('name', 200),
          col.str('unit', 10),
          col.str('kind', 20, false, 'per_period'),
          col.str('stored_unit', 40),
          col.int('scale'),
          col.bool('core'),
          col.int('position', false, 0),
        ],
      }),
    );
    await q.manager
      .createQueryBuilder()
      .insert()
      .into('output_metric')
      .values(
        CORE_METRICS.map((m, i) => ({
          code: m.code,
          name: m.name,
          unit: m.unit,
          kind: 'per_period',
          storedUnit: m.storedUnit,
          scale: m.scale,
          core: true,
          position: i + 1,
        })),
      )
      .execute();
    await q.createTable(
      new Table({
        name: 'output_target',
        columns: [
          col.id(),
          col.int('programme_id'),
          col.int('project_id', true),
          col.str('metric_code', 40),
          col.bigint('target_value', true),
          col.bigint('forecast_value', true),
          col.text('notes'),
          ...col.provenance(),
          col.version(),
          col.str('updated_at', 30),
        ],
        indices: [{ columnNames: ['programme_id', 'metric_code'] }, { columnNames: ['project_id', 'metric_code'] }],
        foreignKeys: [
          fk('programme_id', 'programme', 'CASCADE'),
          fk('project_id', 'project', 'RESTRICT'),
          fk('metric_code', 'output_metric', 'RESTRICT', 'code'),
        ],
        checks: [
          {
            expression: `("target_value" IS NULL OR "target_value" >= 0) AND ("forecast_value" IS NULL OR "forecast_value" >= 0)`,
          },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'output_actual',
        columns: [
          col.id(),
          col.int('programme_id'),
          col.int('project_id'),
          col.str('metric_code', 40),
          col.str('quarter', 10),
          col.bigint('value'),
          col.str('claim_key', 200),
          col.text('evidence'),
          col.bool('illustrative'),
          col.str('recorded_by', 200),
          col.version(),
          col.str('updated_at', 30),
        ],
        uniques: [{ columnNames: ['project_id', 'metric_code', 'quarter', 'claim_key'] }],
        indices: [{ columnNames: ['programme_id', 'metric_code', 'claim_key'] }],
        foreignKeys: [
          fk('programme_id', 'programme', 'CASCADE'),
          fk('project_id', 'project', 'RESTRICT'),
          fk('metric_code', 'output_metric', 'RESTRICT', 'code'),
        ],
        checks: [{ expression: `"value" >= 0` }],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'output_actual',
      'output_target',
      'output_metric',
      'milestone',
      'spend_adjustment',
      'spend_profile',
    ])
      await q.dropTable(t);
  }
}
