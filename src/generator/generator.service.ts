import { Injectable } from '@nestjs/common';
import { Actor } from '../audit/actor';
import { BulkImportResult, BulkImportService, contentHash } from '../bulk-import/bulk-import.service';
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
  return contentHash({ params: plan.params, quarters: plan.quarters, seeds: plan.seeds, delivery: DELIVERY_GENERATORS.map((g) => g.name) });
}

/** Plans the national dataset and loads it through the app's bulk import path (one audit entry). */
@Injectable()
export class GeneratorService {
  constructor(private readonly bulk: BulkImportService) {}

  async generate(params: GeneratorParams, actor?: Actor, onProgress?: (done: number, total: number) => void): Promise<GenerateResult> {
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
          delivery[g.name] = await g.generate(ins, { plan, quarters: plan.quarters, deals: result.deals, rng: root.fork(`delivery:${g.name}`), spendRng: (code) => root.fork('delivery:spend').fork(code) });
          rows += delivery[g.name];
        }
        return rows;
      },
    });
    return {
      ...res,
      plan,
      projects: plan.seeds.reduce((s, d) => s + d.projects.length, 0),
      allocations: plan.seeds.reduce((s, d) => s + d.allocations.length, 0),
      delivery,
    };
  }
}
