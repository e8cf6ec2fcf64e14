import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { jsonText } from '../database/transformers';

@Entity('programme')
export class Programme {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 60, unique: true })
  code: string;

  @Column({ type: 'varchar', length: 300 })
  name: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'int', nullable: true })
  lepOrganisationId: number | null;

  /** Calendar dates, "YYYY-MM-DD". */
  @Column({ type: 'varchar', length: 10 })
  startsOn: string;

  @Column({ type: 'varchar', length: 10 })
  endsOn: string;

  /**
   * The last date output actuals may be recorded for ("YYYY-MM-DD"; jobs follow site access by
   * years); null means five years after `endsOn` (periods/monitoring.ts). Spend stops at `endsOn`.
   */
  @Column({ type: 'varchar', length: 10, nullable: true })
  monitoringEndsOn: string | null;

  /**
   * The programme's own "today" ("YYYY-MM-DD"): returns are due or overdue against it. Null means
   * the wall-clock date; a replayed history (the demo) sets the date its story stands at
   * (periods/programme-clock.ts).
   */
  @Column({ type: 'varchar', length: 10, nullable: true })
  asOfDate: string | null;

  /** A return is due this many months after its quarter ends; null means one (periods/programme-clock.ts). */
  @Column({ type: 'int', nullable: true })
  returnDueMonths: number | null;

  /** The first reporting quarter ("2015-16 Q1"). */
  @Column({ type: 'varchar', length: 10 })
  firstQuarter: string;

  /** Per-programme RAG thresholds (null means the defaults of DESIGN.md). */
  @Column({ type: 'text', nullable: true, transformer: jsonText })
  ragThresholds: Record<string, number> | null;

  /** True where the programme's data is synthetic (generator) rather than a real deal. */
  @Column({ type: 'boolean', default: false })
  synthetic: boolean;

  @Column({ type: 'int', default: 1 })
  version: number;
}
