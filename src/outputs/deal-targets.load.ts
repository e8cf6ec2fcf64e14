import { EntityManager } from 'typeorm';
import { provenanceOf, SeedProvenance } from '../common/provenance';
import { OutputTarget } from './output.entities';

/** The parts of a seed's headline figure that can become an output target. */
export interface TargetHeadlineSeed {
  code: string;
  label: string;
  qualifier: string;
  unit: string;
  value?: number;
  source: SeedProvenance;
}

/** The deal's output promises, by metric (first Part B headline wins). */
const TARGET_METRICS: Record<string, string> = { jobs: 'JOBS_CREATED', homes: 'HOMES_COMPLETED' };

/**
 * The deal's jobs and homes promises become programme-level targets, with their provenance,
 * loaded with the deal (in the loader's transaction). Returns the rows written.
 */
export async function loadDealOutputTargets(
  m: EntityManager,
  programmeId: number,
  headlines: readonly TargetHeadlineSeed[],
  illustrative: boolean,
): Promise<number> {
  const chosen = new Map<string, TargetHeadlineSeed>();
  for (const h of headlines) {
    const metric = TARGET_METRICS[h.unit];
    if (!metric || h.value === undefined || !/^Part B/.test(h.source?.document ?? '')) continue;
    if (!chosen.has(metric)) chosen.set(metric, h);
  }
  const now = new Date().toISOString();
  for (const [metric, h] of chosen) {
    await m.insert(OutputTarget, {
      programmeId,
      projectId: null,
      metricCode: metric,
      targetValue: h.value!,
      forecastValue: null,
      notes: `${h.label} (${h.qualifier === 'at_least' ? 'at least' : h.qualifier}); headline ${h.code}`,
      source: provenanceOf(h.source, illustrative),
      updatedAt: now,
    });
  }
  return chosen.size;
}
