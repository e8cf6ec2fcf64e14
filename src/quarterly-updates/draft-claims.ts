import { DomainError } from '../common/errors';
import { normaliseClaimKey } from '../outputs/outputs.service';
import { OutputClaimProposal } from './quarterly-update.entity';
import { fieldProblems } from './update-model';

/** A claim as proposed for an update's draft (the outputs form's row, or a partner workbook's). */
export interface DraftClaim {
  metric: string;
  quarter: string;
  claimKey: string;
  evidence: string | null;
}

/**
 * What checking one claim gave: no target for its metric (not checked further), OutputsService's
 * checkActualIn answer (the claim normalised), or what it threw.
 */
export type ClaimOutcome =
  { noTarget: true } | { ok: { quarter: string; value: number; claimKey: string } } | { error: unknown };

/** Which part of the claim a problem is about; `claim` is the claim as a whole. */
export type ClaimPart = 'metric' | 'quarter' | 'value' | 'claimKey' | 'claim';

export interface ClaimProblem {
  /** The claim's index in the list checked. */
  index: number;
  part: ClaimPart;
  problem: string;
}

/**
 * The one rule for the claims a quarterly update's draft proposes, whichever door they came in
 * by (the outputs form, the partner workbook): a target for the metric, OutputsService's own
 * checks (done by the caller, their outcome given here), and no claim key twice for a quarter
 * in one update. Gives the claims to hold and every problem, each on the part of the claim it is
 * about, for the caller to place (a box, a Sheet!Cell). Pure; a 5xx error is thrown on.
 */
export function checkDraftClaims(
  projectCode: string,
  checked: { claim: DraftClaim; outcome: ClaimOutcome }[],
): { claims: OutputClaimProposal[]; problems: ClaimProblem[] } {
  const claims: OutputClaimProposal[] = [];
  const problems: ClaimProblem[] = [];
  const seen = new Set<string>();
  checked.forEach(({ claim, outcome }, index) => {
    if ('noTarget' in outcome) {
      problems.push({ index, part: 'metric', problem: `${projectCode} has no target for ${claim.metric}` });
      return;
    }
    if ('ok' in outcome) {
      const ok = outcome.ok;
      const key = `${claim.metric}|${ok.quarter}|${ok.claimKey}`;
      if (seen.has(key)) {
        problems.push({
          index,
          part: 'claimKey',
          problem: `${ok.claimKey} is claimed twice for ${ok.quarter} in this update`,
        });
        return;
      }
      seen.add(key);
      claims.push({
        metric: claim.metric,
        quarter: ok.quarter,
        value: ok.value,
        claimKey: ok.claimKey,
        evidence: claim.evidence,
      });
      return;
    }
    const e = outcome.error;
    if (e instanceof DomainError && e.code === 'DUPLICATE') {
      problems.push({
        index,
        part: 'claimKey',
        problem: `${projectCode} has already claimed ${normaliseClaimKey(claim.claimKey)} for ${claim.quarter}`,
      });
      return;
    }
    for (const p of fieldProblems(e))
      problems.push({
        index,
        part: p.field === 'claimKey' || p.field === 'value' || p.field === 'quarter' ? p.field : 'claim',
        problem: p.problem,
      });
  });
  return { claims, problems };
}
