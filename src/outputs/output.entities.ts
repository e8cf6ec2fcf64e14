import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { Provenance } from '../common/provenance';
import { bigintNumber } from '../database/transformers';

export const METRIC_UNITS = ['count', 'km', 'ha', 'm2', 'gbp'] as const;
export type MetricUnit = (typeof METRIC_UNITS)[number];

/** The metric dictionary (core rows seeded by migration; more may be added). */
@Entity('output_metric')
export class OutputMetric {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  code: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 10 })
  unit: MetricUnit;

  @Column({ type: 'varchar', length: 20, default: 'per_period' })
  kind: string;

  /** What one stored integer means ("metres", "hundredths of a hectare", "pence"). */
  @Column({ type: 'varchar', length: 40 })
  storedUnit: string;

  /** Stored integers per unit (km → 1000 metres). */
  @Column({ type: 'int' })
  scale: number;

  @Column({ type: 'boolean', default: false })
  core: boolean;

  @Column({ type: 'int', default: 0 })
  position: number;
}

/** A target (whole programme period) and the latest forecast of the final total, per project or programme × metric. */
@Entity('output_target')
@Index(['programmeId', 'metricCode'])
@Index(['projectId', 'metricCode'])
export class OutputTarget {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  programmeId: number;

  /** Null for a programme-level target (the deal's promises). */
  @Column({ type: 'int', nullable: true })
  projectId: number | null;

  @Column({ type: 'varchar', length: 40 })
  metricCode: string;

  @Column({ type: 'bigint', nullable: true, transformer: bigintNumber })
  targetValue: number | null;

  @Column({ type: 'bigint', nullable: true, transformer: bigintNumber })
  forecastValue: number | null;

  @Column({ type: 'text', nullable: true })
  notes: string | null;

  @Column(() => Provenance, { prefix: 'source' })
  source: Provenance;

  @Column({ type: 'int', default: 1 })
  version: number;

  @Column({ type: 'varchar', length: 30 })
  updatedAt: string;
}

/** What a project achieved in one quarter for one claim (employer, site or reference). */
@Entity('output_actual')
@Index(['projectId', 'metricCode', 'quarter', 'claimKey'], { unique: true })
@Index(['programmeId', 'metricCode', 'claimKey'])
export class OutputActual {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  programmeId: number;

  @Column({ type: 'int' })
  projectId: number;

  @Column({ type: 'varchar', length: 40 })
  metricCode: string;

  @Column({ type: 'varchar', length: 10 })
  quarter: string;

  @Column({ type: 'bigint', transformer: bigintNumber })
  value: number;

  /** Normalised upper-case key; the same key claimed by two projects is a double claim. */
  @Column({ type: 'varchar', length: 200 })
  claimKey: string;

  @Column({ type: 'text', nullable: true })
  evidence: string | null;

  @Column({ type: 'boolean', default: false })
  illustrative: boolean;

  @Column({ type: 'varchar', length: 200 })
  recordedBy: string;

  @Column({ type: 'int', default: 1 })
  version: number;

  @Column({ type: 'varchar', length: 30 })
  updatedAt: string;
}
