import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Provenance } from '../common/provenance';
import { bigintNumber, jsonText } from '../database/transformers';
import type { HeadlineRule } from './headline-rule';

export const QUALIFIERS = ['exact', 'at_least', 'about'] as const;
export type Qualifier = (typeof QUALIFIERS)[number];
export const HEADLINE_UNITS = ['pounds', 'jobs', 'homes', 'projects', 'sites'] as const;
export type HeadlineUnit = (typeof HEADLINE_UNITS)[number];

/**
 * A number a document states about the programme, with its provenance and the rule
 * saying which allocations (or other headlines, or counts) it covers.
 */
@Entity('headline_figure')
@Index(['programmeId', 'code'], { unique: true })
export class HeadlineFigure {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  programmeId: number;

  @Column({ type: 'varchar', length: 80 })
  code: string;

  /** Headlines stating the same quantity share a measure, so conflicts are set side by side. */
  @Column({ type: 'varchar', length: 80 })
  measure: string;

  @Column({ type: 'varchar', length: 300 })
  label: string;

  @Column({ type: 'varchar', length: 10 })
  qualifier: Qualifier;

  @Column({ type: 'varchar', length: 10 })
  unit: HeadlineUnit;

  /** Pence for pounds; a count otherwise. */
  @Column({ type: 'bigint', transformer: bigintNumber })
  value: number;

  /** One unit of the last printed digit, in the same unit as value (£0.1m = 10,000,000 pence). */
  @Column({ type: 'bigint', transformer: bigintNumber })
  precision: number;

  @Column({ type: 'text', transformer: jsonText })
  rule: HeadlineRule;

  /** For cells of a published table: the table, row and column as printed. */
  @Column({ type: 'varchar', length: 100, nullable: true })
  tableName: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  tableRow: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  tableColumn: string | null;

  /** Footnotes without figures ("this includes LIF, HRA and competitive"). */
  @Column({ type: 'text', nullable: true })
  notes: string | null;

  @Column(() => Provenance, { prefix: 'source' })
  source: Provenance;

  @Column({ type: 'int', default: 1 })
  version: number;
}
