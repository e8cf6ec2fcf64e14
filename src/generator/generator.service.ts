import { Injectable } from '@nestjs/common';
import { Actor } from '../auth/actor';
import { BulkImportResult, BulkImportService, contentHash } from '../deal-loading/bulk-import.service';
import { Db } from '../database/db.service';
import { DELIVERY_GENERATORS } from './delivery';
import './delivery-generators';
import { GeneratorParams, NationalPlan, planNational } from './plan';
import { Rng } from './prng';

export interface GenerateResult extends BulkImportResult {
  plan: NationalPlan;
  projects: number;
  allocations: number;
  delivery: Record<string, number>;
}

/** SHA-256 of the plan (the generated content), stable for a given set of parameters. */
export function planHash(plan: NationalPlan): string {
  return contentHash({
    params: plan.params,
    quarters: plan.quarters,
    seeds: plan.seeds,
    delivery: DELIVERY_GENERATORS.map((g) => g.name),
  });
}

/** Plans the national dataset and loads it through the app's bulk import path (one audit entry). */
@Injectable()
export class GeneratorService {
  constructor(
    private readonly bulk: BulkImportService,
    private readonly db: Db,
  ) {}

  async generate(
    params: GeneratorParams,
    actor?: Actor,
    onProgress?: (done: number, total: number) => void,
  ): Promise<GenerateResult> {
    const plan = planNational(params);
    const delivery: Record<string, number> = {};
    const res = await this.bulk.importDeals(plan.seeds, {
      name: plan.name,
      actor,
      sha256: planHash(plan),
      meta: { generator: { ...params }, synthetic: true },
      onProgress,
      extraRows: DELIVERY_GENERATORS.reduce((s, g) => s + g.estimateRows(plan), 0),
      after: async (ins, result) => {
        let rows = 0;
        const root = new Rng(params.seed);
        for (const g of DELIVERY_GENERATORS) {
          delivery[g.name] = await g.generate(ins, {
            plan,
            quarters: plan.quarters,
            deals: result.deals,
            rng: root.fork(`delivery:${g.name}`),
            spendRng: (code) => root.fork('delivery:spend').fork(code),
          });
          rows += delivery[g.name];
        }
        return rows;
      },
    });
    if (res.loaded) await this.settle();
    return {
      ...res,
      plan,
      projects: plan.seeds.reduce((s, d) => s + d.projects.length, 0),
      allocations: plan.seeds.reduce((s, d) => s + d.allocations.length, 0),
      delivery,
    };
  }

  /**
   * PostgreSQL: a million fresh rows leave the visibility map unset and the statistics stale
   * until autovacuum comes round. Doing its work now lets the reporting queries use index-only
   * scans (which otherwise still read the heap) and plans from real statistics at once.
   * Only this schema's tables: other schemas in the same database are not ours to touch.
   */
  private async settle(): Promise<void> {
    if (this.db.type !== 'postgres') return;
    const tables: { name: string }[] = await this.db.ds.query(
      'SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename',
    );
    for (const t of tables) await this.db.ds.query(`VACUUM (ANALYZE) "${t.name.replace(/"/g, '""')}"`);
  }
}
