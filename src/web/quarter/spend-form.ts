import { FieldProblem } from '../../common/errors';
import { quarterUrl } from '../../common/fiscal';
import type { SpendInput, SpendSection } from '../../quarterly-updates/update-model';
import { displayPounds } from '../../common/money';
import { parseMoneyInput } from '../forms/money-input';

/** Form field names: one actual per source kind, one forecast per source kind × quarter. */
export const actualField = (kind: string) => `actual-${kind}`;
export const forecastField = (kind: string, quarter: string) => `forecast-${kind}-${quarterUrl(quarter)}`;
export const readingField = (kind: string) => `reading-${kind}`;

export interface ParsedSpendForm {
  input: SpendInput;
  problems: FieldProblem[];
  /** Every box as typed, to show back on a form with errors. */
  typed: Record<string, string>;
  /** Boxes changed and typed with £ signs, commas or spaces ("£1,234.5" → "£1,234.50"): shown back before saving. */
  normalised: { field: string; label: string; typed: string; shown: string }[];
}

/** Reads the spend form against the sections it was drawn from (unknown fields are ignored). */
export function parseSpendForm(
  body: Record<string, unknown>,
  sections: SpendSection[],
  quarter: string,
): ParsedSpendForm {
  const out: ParsedSpendForm = {
    input: { actuals: {}, forecasts: {}, readAsCumulative: [], readAsQuarter: [] },
    problems: [],
    typed: {},
    normalised: [],
  };
  const read = (field: string, label: string, shownBefore: number | null, apply: (pence: number) => void) => {
    const raw = typeof body[field] === 'string' ? (body[field] as string) : undefined;
    if (raw === undefined) return;
    out.typed[field] = raw;
    const p = parseMoneyInput(raw, label);
    if (p.error) out.problems.push({ field, problem: p.error });
    else if (p.pence !== undefined) {
      apply(p.pence);
      if (p.pence !== shownBefore && /[£,\s]/.test(raw.trim()))
        out.normalised.push({ field, label, typed: raw, shown: p.shown! });
    }
  };
  for (const s of sections) {
    read(actualField(s.sourceKind), `Actual ${s.sourceKind} spend in ${quarter}`, s.actualPence, (v) => {
      out.input.actuals[s.sourceKind] = v;
    });
    for (const f of s.forecasts)
      read(forecastField(s.sourceKind, f.quarter), `${s.sourceKind} forecast for ${f.quarter}`, f.pence, (v) => {
        out.input.forecasts[`${s.sourceKind}|${f.quarter}`] = v;
      });
    const reading = body[readingField(s.sourceKind)];
    if (reading === 'cumulative') out.input.readAsCumulative.push(s.sourceKind);
    if (reading === 'quarter') out.input.readAsQuarter.push(s.sourceKind);
  }
  const version = Number(body.version);
  if (Number.isSafeInteger(version) && version > 0) out.input.version = version;
  return out;
}

/** A box's pre-filled amount: pounds with commas, no £ (the box shows it as a prefix). */
export const boxPounds = (pence: number) => displayPounds(pence).replace('£', '');
