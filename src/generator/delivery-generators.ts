import type { BulkInserter } from '../deal-loading/bulk-insert';
import { DeliveryContext, registerDeliveryGenerator } from './delivery';
import {
  ACTUAL_COLUMNS,
  actualsThroughIndex,
  MILESTONE_COLUMNS,
  milestoneRows,
  outputRows,
  spendRows,
  SPEND_COLUMNS,
  TARGET_COLUMNS,
} from './delivery-rows';
import type { NationalPlan } from './plan';

/**
 * The generator's delivery rows, one programme at a time (so a national dataset never sits in
 * memory whole), through the bulk inserter in the import's one transaction. Milestones and
 * outputs follow each project's spend window, so each stream re-derives the spend rows from
 * its own fork of the PRNG (the same rows the spend generator wrote).
 */
const now = '2015-04-01T00:00:00.000Z';

function liveKinds(plan: NationalPlan): { projects: number; lines: number } {
  let projects = 0;
  let lines = 0;
  for (const s of plan.seeds) {
    const kinds = new Map<string, Set<string>>();
    for (const a of s.allocations)
      if (a.project && a.commitmentStatus !== 'withdrawn')
        kinds.set(a.project, (kinds.get(a.project) ?? new Set()).add(a.sourceKind));
    projects += kinds.size;
    for (const k of kinds.values()) lines += k.size;
  }
  return { projects, lines };
}

async function eachProgramme(
  ins: BulkInserter,
  ctx: DeliveryContext,
  write: (input: Parameters<typeof spendRows>[0], spend: unknown[][]) => Promise<number>,
): Promise<number> {
  let rows = 0;
  for (const d of ctx.deals) {
    const input = { seed: d.seed, programmeId: d.programmeId, projectIds: d.projects, quarters: ctx.quarters, now };
    // The spend stream is keyed by the programme code alone, so every generator sees the same spend rows.
    const spend = spendRows(input, ctx.spendRng(d.seed.programme.code));
    rows += await write(input, spend);
  }
  return rows;
}

registerDeliveryGenerator({
  name: 'spend',
  estimateRows: (plan) => liveKinds(plan).lines * plan.quarters.length,
  generate: (ins, ctx) => eachProgramme(ins, ctx, (_, spend) => ins.insert('spend_profile', SPEND_COLUMNS, spend)),
});

registerDeliveryGenerator({
  name: 'milestones',
  estimateRows: (plan) => liveKinds(plan).projects * 5,
  generate: (ins, ctx) =>
    eachProgramme(ins, ctx, (input, spend) =>
      ins.insert('milestone', MILESTONE_COLUMNS, milestoneRows(input, spend, ctx.rng.fork(input.seed.programme.code))),
    ),
});

registerDeliveryGenerator({
  name: 'outputs',
  // Three metrics per project, reported from a year before delivery starts to "today" (about half the plan's quarters up to then).
  estimateRows: (plan) =>
    liveKinds(plan).projects *
    3 *
    (1 + Math.max(1, Math.round((actualsThroughIndex(plan.quarters.length) + 1) * 0.65))),
  generate: (ins, ctx) =>
    eachProgramme(ins, ctx, async (input, spend) => {
      const { targets, actuals } = outputRows(input, spend, ctx.rng.fork(input.seed.programme.code));
      return (
        (await ins.insert('output_target', TARGET_COLUMNS, targets)) +
        (await ins.insert('output_actual', ACTUAL_COLUMNS, actuals))
      );
    }),
});
