import { DomainError } from '../common/errors';
import { displayPounds, formatPounds } from '../common/money';
import { exactSum, toBigInt } from '../database/sql-values';
import { EntityManager } from 'typeorm';
import { Allocation } from '../funding/allocation.entity';
import { ProgrammeEnvelope } from './programme-envelope.entity';

/**
 * Approved, non-withdrawn money per source kind: one aggregate query. The envelope check at
 * approval works in whole pence as JavaScript numbers (envelopes are stored that way), so a
 * kind whose approved total has passed 2^53 pence (£90,071,992,547,409.91, about 90,000 changes
 * of the £1bn per-field maximum) refuses any further change (drafted or approved) with a 422 naming the kind, never a rounded
 * check or a 500.
 * The reports read the same money exactly (bigint) and show it.
 */
export async function approvedTotals(m: EntityManager, programmeId: number): Promise<Record<string, number>> {
  const rows: { kind: string; total: string | number }[] = await m
    .getRepository(Allocation)
    .createQueryBuilder('a')
    .select('a.source_kind', 'kind')
    .addSelect(exactSum('a.amount_pence'), 'total')
    .where('a.programme_id = :p', { p: programmeId })
    .andWhere("a.approval_state = 'approved'")
    .andWhere("a.commitment_status <> 'withdrawn'")
    .groupBy('a.source_kind')
    .getRawMany();
  return Object.fromEntries(rows.map((r) => [r.kind, checkableTotal(r.kind, toBigInt(r.total))]));
}

function checkableTotal(kind: string, total: bigint): number {
  if (total <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(total);
  throw new DomainError(
    'PROGRAMME_TOTAL_LIMIT',
    `approved ${kind} money in this programme totals ${displayPounds(total)}, past the ${displayPounds(
      BigInt(Number.MAX_SAFE_INTEGER),
    )} an envelope can be checked against: no further change to this programme's money can be accepted`,
    422,
    { sourceKind: kind, approved: formatPounds(total) },
  );
}

/** Approved money per source kind and commitment status (withdrawn included, shown apart). */
export async function approvedByStatus(
  m: EntityManager,
  programmeId: number,
): Promise<{ kind: string; status: string; total: bigint }[]> {
  const rows: { kind: string; status: string; total: string | number }[] = await m
    .getRepository(Allocation)
    .createQueryBuilder('a')
    .select('a.source_kind', 'kind')
    .addSelect('a.commitment_status', 'status')
    .addSelect(exactSum('a.amount_pence'), 'total')
    .where('a.programme_id = :p', { p: programmeId })
    .andWhere("a.approval_state = 'approved'")
    .groupBy('a.source_kind')
    .addGroupBy('a.commitment_status')
    .getRawMany();
  return rows.map((r) => ({ kind: r.kind, status: r.status, total: toBigInt(r.total) }));
}

export async function envelopeRows(m: EntityManager, programmeId: number): Promise<Record<string, number>> {
  const rows = await m.find(ProgrammeEnvelope, { where: { programmeId } });
  return Object.fromEntries(rows.map((r) => [r.sourceKind, r.amountPence]));
}

/**
 * The envelope per kind. A kind with no stored envelope (a programme built through the API
 * rather than loaded as a deal, or a kind first used later) has, until its first use by an
 * approved change, an envelope equal to its approved total at that moment; the approval
 * then stores it.
 */
export async function effectiveEnvelopes(m: EntityManager, programmeId: number) {
  const stored = await envelopeRows(m, programmeId);
  const totals = await approvedTotals(m, programmeId);
  const effective: Record<string, number> = { ...totals, ...stored };
  return { stored, totals, effective };
}

/** Stores the envelope per kind as the sum of approved, non-withdrawn allocations (a deal's load). */
export async function initialiseEnvelope(m: EntityManager, programmeId: number): Promise<number> {
  const totals = await approvedTotals(m, programmeId);
  const now = new Date().toISOString();
  const kinds = Object.keys(totals).sort();
  for (const k of kinds)
    await m.insert(ProgrammeEnvelope, { programmeId, sourceKind: k, amountPence: totals[k], updatedAt: now });
  return kinds.length;
}
