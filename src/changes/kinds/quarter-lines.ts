import { formatQuarter, parseQuarter } from '../../common/fiscal';
import { PeriodsService } from '../../periods/periods.service';
import { Programme } from '../../programmes/programme.entity';
import { ChangeProblem } from './kind';
import { PayloadReader } from './payload';

/** One line of quarters-with-amounts, its quarter canonical ("2015-16 Q1"). */
export interface QuarterLine {
  quarter: string;
  pence: number;
  /** The line's field, e.g. "payload.lines[2]". */
  field: string;
}

/**
 * Lines of `{ quarter, <amountKey> }`, read one way by every kind that carries them (set_baseline's
 * quarters, reprofile_spend's moves, the baselines of add_project and reallocation): each quarter
 * canonical and listed once, each amount pence with the sign the kind allows; problems name the field.
 */
export function parseQuarterLines(
  r: PayloadReader,
  raw: unknown[] | undefined,
  field: string,
  amountKey: string,
  sign: 'nonzero' | 'nonnegative',
): QuarterLine[] {
  const out: QuarterLine[] = [];
  const seen = new Set<string>();
  raw?.forEach((x, i) => {
    const f = `${field}[${i}]`;
    const line = r.object(x, f, ['quarter', amountKey]);
    if (!line) return;
    let quarter: string | undefined;
    try {
      quarter = formatQuarter(parseQuarter(line.quarter));
    } catch (e) {
      r.invalid(`${f}.quarter`, (e as Error).message);
    }
    const pence = r.pounds(line, amountKey, f, sign);
    if (!quarter || pence === undefined) return;
    if (seen.has(quarter)) r.invalid(`${f}.quarter`, `${quarter} appears twice: combine the lines`);
    seen.add(quarter);
    out.push({ quarter, pence, field: f });
  });
  return out;
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
