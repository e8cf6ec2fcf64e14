import { formatQuarter, parseQuarter } from '../../common/fiscal';
import { formatPounds, parseAmount } from '../../common/money';
import { PeriodsService } from '../../periods/periods.service';
import { Programme } from '../../programmes/programme.entity';
import { ChangeProblem } from './kind';
import { invalid, QuarterAmountDto } from './payload-validation';

/** One line of quarters-with-amounts, its quarter canonical ("2015-16 Q1"). */
export interface QuarterLine {
  quarter: string;
  pence: number;
  /** The line's field, e.g. "payload.lines[2]". */
  field: string;
}

/**
 * Validated lines of `{ quarter, <amountKey> }`, read one way by every kind that carries them
 * (set_baseline's quarters, reprofile_spend's moves, the baselines of add_project and
 * reallocation): each quarter canonical and listed once, each amount in pence.
 */
export function quarterLines<K extends 'amount' | 'delta'>(
  raw: readonly ({ quarter: string } & Record<K, string>)[],
  field: string,
  amountKey: K,
): { lines: QuarterLine[]; problems: ChangeProblem[] } {
  const lines: QuarterLine[] = [];
  const problems: ChangeProblem[] = [];
  const seen = new Set<string>();
  raw.forEach((x, i) => {
    const f = `${field}[${i}]`;
    const quarter = formatQuarter(parseQuarter(x.quarter));
    if (seen.has(quarter)) problems.push(invalid(`${f}.quarter`, `${quarter} appears twice: combine the lines`));
    seen.add(quarter);
    lines.push({ quarter, pence: parseAmount(x[amountKey]), field: f });
  });
  return { lines, problems };
}

/** A baseline's quarters as a map of pence (quarters not listed are 0). */
export function quarterAmounts(raw: readonly QuarterAmountDto[], field: string) {
  const { lines, problems } = quarterLines(raw, field, 'amount');
  return { quarters: new Map(lines.map((l) => [l.quarter, l.pence])), problems };
}

/** A new allocation's baseline (if it has one): its quarters, listed once, adding up to the allocation. */
export function baselineOf(a: { baseline?: QuarterAmountDto[] }, amountPence: number, field: string, noun: string) {
  if (!a.baseline) return { baseline: undefined, problems: [] };
  const f = `${field}.baseline`;
  const { quarters, problems } = quarterAmounts(a.baseline, f);
  const total = [...quarters.values()].reduce((s, v) => s + v, 0);
  if (total !== amountPence)
    problems.push(
      invalid(
        f,
        `adds up to ${formatPounds(total)} but ${noun} is ${formatPounds(amountPence)}: the baseline equals the allocation`,
        'BASELINE_NOT_ALLOCATION',
      ),
    );
  return { baseline: quarters, problems };
}

/** Every quarter inside the programme; each problem names the field given with its quarter. */
export function quarterProblems(
  periods: PeriodsService,
  programme: Programme,
  quarters: readonly { quarter: string; field: string }[],
): ChangeProblem[] {
  const out: ChangeProblem[] = [];
  for (const { quarter, field } of quarters) {
    try {
      periods.checkInProgramme(programme, quarter, field);
    } catch (e) {
      out.push({ field, problem: (e as Error).message.replace(/^[^:]+: /, ''), code: 'QUARTER_OUTSIDE_PROGRAMME' });
    }
  }
  return out;
}

/** A baseline's quarters, every problem named by the one field that holds them. */
export function quartersAt(quarters: ReadonlyMap<string, number>, field: string) {
  return [...quarters.keys()].map((quarter) => ({ quarter, field }));
}
