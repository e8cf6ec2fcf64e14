import { EntityManager } from 'typeorm';
import { provenanceOf, SeedProvenance } from '../common/provenance';
import { Milestone } from './milestone.entity';

/** A dated promise of the deal as a seed file states it. */
export interface DealCommitmentSeed {
  code: string;
  title: string;
  owner: 'lep' | 'government';
  due: string;
  dueWords?: string;
  dueInterpreted?: boolean;
  source?: SeedProvenance;
}

/**
 * The deal's dated commitments, loaded with the deal (in the loader's transaction) as
 * programme-level milestones. Returns the rows written.
 */
export async function loadDealCommitments(
  m: EntityManager,
  programmeId: number,
  commitments: readonly DealCommitmentSeed[],
  illustrative: boolean,
): Promise<number> {
  const now = new Date().toISOString();
  for (const c of commitments) {
    await m.insert(Milestone, {
      programmeId,
      projectId: null,
      code: c.code,
      kind: 'commitment',
      title: c.title,
      owner: c.owner,
      baselineDate: c.due,
      forecastDate: c.due,
      actualDate: null,
      status: 'open',
      dueWords: c.dueWords ?? null,
      dateInterpreted: c.dueInterpreted ?? false,
      notes: null,
      source: provenanceOf(c.source, illustrative),
      updatedAt: now,
    });
  }
  return commitments.length;
}
