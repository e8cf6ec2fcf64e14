import { EntityManager } from 'typeorm';
import { Allocation } from '../funding/allocation.entity';
import { Milestone } from '../milestones/milestone.entity';
import { OutputTarget } from '../outputs/output.entities';
import { OutputsService } from '../outputs/outputs.service';
import { SpendProfileLine } from '../spend/spend.entities';
import { checkDraftClaims, ClaimOutcome, DraftClaim } from '../quarterly-updates/draft-claims';
import { MilestoneProposal, UpdateDraft } from '../quarterly-updates/quarterly-update.entity';
import type { UpdateContext } from '../quarterly-updates/update-reader';
import { ReadRow } from '../xlsx';
import { cellRef, MILESTONES_SHEET, OUTPUT_COLUMNS, OUTPUTS_SHEET, SPEND_SHEET } from './partner-update.template';

/** Whose figure a workbook cell is through the API (the command line's import checks it). */
export type FigureKind = 'actual' | 'forecast' | 'milestone' | 'output';
export const FIGURE_WORDS: Record<FigureKind, string> = {
  actual: 'actual spend',
  forecast: 'spend forecasts',
  milestone: 'milestone dates',
  output: 'output claims',
};

/** What a changed row proposes to the quarterly update's draft. */
export type DraftChange =
  | { kind: 'forecast'; key: string; pence: number }
  | { kind: 'actual'; sourceKind: string; pence: number }
  | { kind: 'milestone'; id: number; forecastDate: string | null; actualDate: string | null }
  | {
      kind: 'claim';
      row: number;
      metric: string;
      quarter: string;
      value: string | number;
      claimKey: string;
      evidence: string | null;
    }
  | { kind: 'recorded_claim'; id: number; what: string };

/**
 * The draft a workbook makes, over the update's current draft: the rows the workbook holds replace
 * the draft's proposals for them (a figure set back to the recorded one is no longer proposed),
 * anything else the draft holds stays. New claims are checked as the outputs form checks them
 * (a target for the metric, OutputsService's rules, not twice in one update); a recorded claim
 * cannot be changed through an update. Problems are added with their Sheet!Cell.
 */
export async function draftFromWorkbook(
  m: EntityManager,
  outputs: OutputsService,
  c: UpdateContext,
  rows: Record<string, ReadRow[]>,
  ops: { ref: string; change: DraftChange }[],
  problems: string[],
): Promise<UpdateDraft> {
  const before = c.update?.draft ?? {};
  const spendRows = rows[SPEND_SHEET].map((r) => r.values as { sourceKind: string; quarter: string });
  const forecastKeys = new Set(spendRows.map((v) => `${v.sourceKind}|${v.quarter}`));
  const actualKinds = new Set(spendRows.filter((v) => v.quarter === c.quarter).map((v) => v.sourceKind));
  const forecasts = Object.fromEntries(Object.entries(before.forecasts ?? {}).filter(([k]) => !forecastKeys.has(k)));
  const actuals = Object.fromEntries(Object.entries(before.actuals ?? {}).filter(([k]) => !actualKinds.has(k)));

  // Spend of a source the project has neither an allocation nor a profile line for is refused, as the form refuses it.
  const kinds = new Set([
    ...(await m.find(SpendProfileLine, { where: { projectId: c.project.id }, select: { sourceKind: true } })).map(
      (l) => l.sourceKind,
    ),
    ...(
      await m.find(Allocation, {
        where: { projectId: c.project.id, approvalState: 'approved' },
        select: { sourceKind: true },
      })
    ).map((a) => a.sourceKind),
  ]);

  const recorded = new Map(
    (await m.find(Milestone, { where: { projectId: c.project.id } })).map((x) => [String(x.id), x]),
  );
  const milestones: Record<string, MilestoneProposal> = {};
  for (const r of rows[MILESTONES_SHEET]) {
    // A row the workbook leaves as the draft had it keeps the draft's proposal (its evidence note too).
    const v = r.values as { id: number; forecastDate: string | null; actualDate: string | null };
    const p = before.milestones?.[String(v.id)];
    if (p && p.forecastDate === v.forecastDate && p.actualDate === v.actualDate) milestones[String(v.id)] = p;
  }
  const inWorkbook = new Set(rows[MILESTONES_SHEET].map((r) => String((r.values as { id: number }).id)));
  for (const [id, p] of Object.entries(before.milestones ?? {})) if (!inWorkbook.has(id)) milestones[id] = p;

  const targets = new Set(
    (await m.find(OutputTarget, { where: { projectId: c.project.id }, select: { metricCode: true } })).map(
      (x) => x.metricCode,
    ),
  );
  const checked: { claim: DraftClaim & { ref: (column: string) => string }; outcome: ClaimOutcome }[] = [];
  for (const { ref, change } of ops) {
    switch (change.kind) {
      case 'forecast':
        if (!kinds.has(change.key.split('|')[0]))
          problems.push(`${ref}: ${c.project.code} has no ${change.key.split('|')[0]} spend to report`);
        else forecasts[change.key] = change.pence;
        break;
      case 'actual':
        if (kinds.has(change.sourceKind)) actuals[change.sourceKind] = change.pence;
        break;
      case 'milestone': {
        const x = recorded.get(String(change.id))!;
        milestones[String(change.id)] = {
          forecastDate: change.forecastDate,
          actualDate: change.actualDate,
          // An actual date is the step done, as the milestones form's "complete" with its date.
          status: change.actualDate ? 'complete' : 'open',
          notes: before.milestones?.[String(change.id)]?.notes ?? x.notes,
          version: x.version,
        };
        break;
      }
      case 'recorded_claim':
        problems.push(
          `${ref}: claim ${change.id} (${change.what}) is already recorded: a recorded claim is corrected by a programme manager, not through the quarterly update (add a new row for a new claim)`,
        );
        break;
      case 'claim': {
        // Checked by OutputsService here; the draft's rule is checkDraftClaims, after the loop.
        const claim = { ...change, ref: (k: string) => cellRef(OUTPUTS_SHEET, OUTPUT_COLUMNS, k, change.row) };
        if (!targets.has(change.metric)) {
          checked.push({ claim, outcome: { noTarget: true } });
          break;
        }
        try {
          const ok = await outputs.checkActualIn(m, c.prog, c.project, change.metric, {
            quarter: change.quarter,
            value: change.value,
            claimKey: change.claimKey,
            evidence: change.evidence ?? undefined,
          });
          checked.push({ claim, outcome: { ok } });
        } catch (e) {
          checked.push({ claim, outcome: { error: e } });
        }
        break;
      }
    }
  }

  const { claims, problems: claimProblems } = checkDraftClaims(c.project.code, checked);
  for (const p of claimProblems) {
    const { ref } = checked[p.index].claim;
    // A problem of the claim as a whole is told at its claim key.
    problems.push(`${ref(p.part === 'claim' ? 'claimKey' : p.part)}: ${p.problem}`);
  }

  const draft: UpdateDraft = { ...before, forecasts, actuals, milestones };
  const sameClaims = JSON.stringify(before.outputs?.claims ?? []) === JSON.stringify(claims);
  if (before.outputs || claims.length)
    draft.outputs = {
      claims,
      forecasts: before.outputs?.forecasts ?? {},
      // New or changed claims are reviewed on the outputs page before the update is submitted.
      complete: sameClaims ? (before.outputs?.complete ?? false) : false,
    };
  return draft;
}
