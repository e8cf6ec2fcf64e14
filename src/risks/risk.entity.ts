import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Likelihood and impact on the fixed five-point scale of UK public-sector risk registers
 * (1 very low … 5 very high); a risk's score is likelihood × impact (1–25).
 */
export const RISK_SCALE = [1, 2, 3, 4, 5] as const;
export type RiskLevel = (typeof RISK_SCALE)[number];
export const RISK_LEVEL_LABELS: Record<RiskLevel, string> = {
  1: 'Very low',
  2: 'Low',
  3: 'Medium',
  4: 'High',
  5: 'Very high',
};
export const RISK_STATUSES = ['open', 'closed'] as const;
export type RiskStatus = (typeof RISK_STATUSES)[number];

/** One risk in a project's register: what could go wrong, how likely, how bad, what is done about it, who owns it. */
@Entity('project_risk')
@Index(['projectId', 'status'])
export class ProjectRisk {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  programmeId: number;

  @Column({ type: 'int' })
  projectId: number;

  @Column({ type: 'text' })
  description: string;

  @Column({ type: 'int' })
  likelihood: RiskLevel;

  @Column({ type: 'int' })
  impact: RiskLevel;

  @Column({ type: 'text', nullable: true })
  mitigation: string | null;

  @Column({ type: 'varchar', length: 200 })
  owner: string;

  @Column({ type: 'varchar', length: 10, default: 'open' })
  status: RiskStatus;

  /** The reporting quarter in which it was raised, and (when closed) closed: programme time. */
  @Column({ type: 'varchar', length: 10 })
  raisedIn: string;

  @Column({ type: 'varchar', length: 10, nullable: true })
  closedIn: string | null;

  @Column({ type: 'int', default: 1 })
  version: number;

  @Column({ type: 'varchar', length: 30 })
  updatedAt: string;
}
