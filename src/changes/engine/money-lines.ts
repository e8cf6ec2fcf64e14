/**
 * Pure arithmetic of changes to approved money: no Nest, no database, integer pence only.
 * The approval service feeds it the current allocations and envelopes; tests feed it plain data.
 */

/** What the arithmetic needs to know about one allocation. */
export interface AllocationFact {
  id: number;
  sourceKind: string;
  amountPence: number;
  /** Withdrawn money no longer counts against the envelope. */
  withdrawn: boolean;
}

/** One line of a reallocation: change an existing allocation, or create a new one. */
export type MoneyLine =
  | { op: 'adjust'; allocationId: number; deltaPence: number }
  | { op: 'create'; sourceKind: string; amountPence: number };

export function lineDelta(l: MoneyLine): number {
  return l.op === 'adjust' ? l.deltaPence : l.amountPence;
}

/** The sum of every line's movement; a balanced reallocation nets to exactly zero. */
export function netPence(lines: readonly MoneyLine[]): number {
  let net = 0;
  for (const l of lines) net += lineDelta(l);
  if (!Number.isSafeInteger(net)) throw new RangeError('net movement is too large');
  return net;
}

export interface NegativeLine {
  index: number;
  allocationId: number;
  currentPence: number;
  resultPence: number;
}

/** Lines that would take an allocation below zero (each allocation judged after all its lines). */
export function negativeLines(facts: readonly AllocationFact[], lines: readonly MoneyLine[]): NegativeLine[] {
  const amount = new Map(facts.map((f) => [f.id, f.amountPence]));
  const running = new Map<number, number>();
  const lastIndex = new Map<number, number>();
  lines.forEach((l, index) => {
    if (l.op !== 'adjust') return;
    running.set(l.allocationId, (running.get(l.allocationId) ?? amount.get(l.allocationId) ?? 0) + l.deltaPence);
    lastIndex.set(l.allocationId, index);
  });
  const out: NegativeLine[] = [];
  for (const [allocationId, resultPence] of running) {
    if (resultPence < 0)
      out.push({
        index: lastIndex.get(allocationId)!,
        allocationId,
        currentPence: amount.get(allocationId) ?? 0,
        resultPence,
      });
  }
  return out.sort((a, b) => a.index - b.index);
}

/**
 * Applies lines to a list of allocations. New allocations get ids from `nextId` upwards, in line
 * order. Throws when an adjusted allocation is unknown or would go negative.
 */
export function applyMoneyLines(
  facts: readonly AllocationFact[],
  lines: readonly MoneyLine[],
  nextId: number,
): { facts: AllocationFact[]; createdIds: number[] } {
  const out = facts.map((f) => ({ ...f }));
  const byId = new Map(out.map((f) => [f.id, f]));
  const createdIds: number[] = [];
  for (const l of lines) {
    if (l.op === 'adjust') {
      const f = byId.get(l.allocationId);
      if (!f) throw new RangeError(`allocation ${l.allocationId} does not exist`);
      f.amountPence += l.deltaPence;
    } else {
      const f = { id: nextId++, sourceKind: l.sourceKind, amountPence: l.amountPence, withdrawn: false };
      out.push(f);
      byId.set(f.id, f);
      createdIds.push(f.id);
    }
  }
  for (const f of out) if (f.amountPence < 0) throw new RangeError(`allocation ${f.id} would go negative`);
  return { facts: out, createdIds };
}

/** The lines that undo `lines` once applied (created allocations are taken back to zero). */
export function inverseLines(lines: readonly MoneyLine[], createdIds: readonly number[]): MoneyLine[] {
  let c = 0;
  return lines.map((l) =>
    l.op === 'adjust'
      ? { op: 'adjust' as const, allocationId: l.allocationId, deltaPence: -l.deltaPence }
      : { op: 'adjust' as const, allocationId: createdIds[c++], deltaPence: -l.amountPence },
  );
}

/** Approved, non-withdrawn money per source kind. */
export function totalsByKind(facts: readonly AllocationFact[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of facts) {
    if (f.withdrawn) continue;
    out[f.sourceKind] = (out[f.sourceKind] ?? 0) + f.amountPence;
  }
  return out;
}

export interface EnvelopeBreach {
  sourceKind: string;
  envelopePence: number;
  totalPence: number;
  excessPence: number;
}

/**
 * Which kinds a change would take over their envelope. A kind already over its envelope (it can
 * happen only through data loaded before envelopes existed) does not block a change that leaves
 * it no worse: only a rise in the total, or a cut to the envelope, must fit.
 */
export function envelopeBreaches(x: {
  totalsBefore: Record<string, number>;
  totalsAfter: Record<string, number>;
  envelopesBefore: Record<string, number>;
  envelopesAfter: Record<string, number>;
}): EnvelopeBreach[] {
  const kinds = [...new Set([...Object.keys(x.totalsAfter), ...Object.keys(x.envelopesAfter)])].sort();
  const out: EnvelopeBreach[] = [];
  for (const k of kinds) {
    const before = x.totalsBefore[k] ?? 0;
    const after = x.totalsAfter[k] ?? 0;
    const envBefore = x.envelopesBefore[k] ?? before;
    const envAfter = x.envelopesAfter[k] ?? envBefore;
    const worse = after > before || envAfter < envBefore;
    if (worse && after > envAfter)
      out.push({ sourceKind: k, envelopePence: envAfter, totalPence: after, excessPence: after - envAfter });
  }
  return out;
}
