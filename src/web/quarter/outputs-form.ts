import { FieldProblem } from '../../common/errors';
import { MAX_WHOLE, MAX_WHOLE_DIGITS, placesOf } from '../../outputs/output-units';
import type { OutputSection, OutputsInput } from '../../quarterly-updates/update-model';

/** Form field names: a forecast per metric, and claim rows `o-<metric>-<n>-quarter|value|key|evidence`. */
export const forecastBox = (metric: string) => `o-${metric}-forecast`;
export const claimRow = (metric: string, n: number) => `o-${metric}-${n}`;

const UNIT_WORDS: Record<string, string> = { count: '', m2: 'm²', km: 'km', ha: 'hectares', gbp: '£' };
export const unitWord = (unit: string) => UNIT_WORDS[unit] ?? unit;

/** Stored integers as a person reads them: "1,450", "8.50", "2.100" (thousands separated). */
export function showQuantity(stored: number | null, scale: number): string {
  if (stored === null) return '';
  const p = placesOf(scale);
  const whole = Math.trunc(stored / scale);
  const part = p ? `.${String(Math.abs(stored % scale)).padStart(p, '0')}` : '';
  return `${whole.toLocaleString('en-GB')}${part}`;
}

export interface QuantityParse {
  /** The value in the API's form for the metric's unit: an integer, or a string with its places. */
  value?: number | string;
  error?: string;
}

/**
 * A quantity box: accepts what people type ("1,200", " 8.5 ", "2.1 km") and normalises it to
 * the metric's places; refuses negative numbers, fractions of a count and more places than the
 * unit keeps, with a message naming the field. Empty is no value.
 */
export function parseQuantityInput(raw: unknown, unit: string, scale: number, label: string): QuantityParse {
  const typed = typeof raw === 'string' ? raw : '';
  const word = unitWord(unit);
  let cleaned = typed.replace(/\s+/g, '').replace(/,/g, '');
  if (word && cleaned.toLowerCase().endsWith(word.toLowerCase())) cleaned = cleaned.slice(0, -word.length);
  if (unit === 'ha' && /ha$/i.test(cleaned)) cleaned = cleaned.slice(0, -2);
  if (unit === 'm2' && /m2$/i.test(cleaned)) cleaned = cleaned.slice(0, -2);
  if (unit === 'gbp') cleaned = cleaned.replace(/^£/, '');
  if (!cleaned) return {};
  const p = placesOf(scale);
  const like = p ? `like ${(12).toFixed(p)}` : 'like 12';
  if (/^-\d/.test(cleaned)) return { error: `${label} must be 0 or more` };
  const mm = /^(\d+)(?:\.(\d*))?$/.exec(cleaned);
  if (!mm) return { error: `${label} must be a number, ${like}` };
  const frac = mm[2] ?? '';
  if (p === 0 && frac.replace(/0+$/, '') !== '') return { error: `${label} must be a whole number, ${like}` };
  if (frac.length > p && frac.slice(p).replace(/0+$/, '') !== '')
    return { error: `${label} must have no more than ${p} decimal places, ${like}` };
  const whole = mm[1].replace(/^0+(?=\d)/, '');
  if (whole.length > MAX_WHOLE_DIGITS)
    return { error: `${label} is too large: at most ${MAX_WHOLE.toLocaleString('en-GB')}` };
  if (p === 0) return { value: Number(whole) };
  return { value: `${whole}.${frac.slice(0, p).padEnd(p, '0')}` };
}

/** "2016/17 q4", "2016-17-Q4", " 2016-17  Q4 " → "2016-17 Q4"; anything else as typed (the service says why). */
export function normaliseQuarterInput(raw: string): string {
  const t = raw.trim().replace(/\s+/g, ' ');
  const m = /^(\d{4})[-/](\d{2})[- ]?[Qq]([1-4])$/.exec(t);
  return m ? `${m[1]}-${m[2]} Q${m[3]}` : t;
}

export interface ParsedOutputsForm {
  input: OutputsInput;
  problems: FieldProblem[];
  /** Ids of the boxes the error summary links to, where they differ from the field name. */
  ids: Record<string, string>;
  /** Claim rows per metric as typed, to show back. */
  rows: Record<string, { n: number; quarter: string; value: string; key: string; evidence: string }[]>;
  forecasts: Record<string, string>;
  complete: string | undefined;
}

const text = (v: unknown) => (typeof v === 'string' ? v : '');

/** Reads the outputs form against the sections it was drawn from (unknown fields are ignored). */
export function parseOutputsForm(body: Record<string, unknown>, sections: OutputSection[]): ParsedOutputsForm {
  const out: ParsedOutputsForm = {
    input: { claims: [], forecasts: {}, complete: body.complete === 'yes' },
    problems: [],
    ids: { complete: 'complete' },
    rows: {},
    forecasts: {},
    complete: body.complete === 'yes' || body.complete === 'no' ? body.complete : undefined,
  };
  if (out.complete === undefined)
    out.problems.push({ field: 'complete', problem: 'Say whether you have finished the outputs' });
  for (const s of sections) {
    const name = s.name.replace(/\s*\(.*\)$/, '');
    const fbox = forecastBox(s.metric);
    const typedForecast = text(body[fbox]);
    out.forecasts[s.metric] = typedForecast;
    const flabel = `Forecast final total of ${name.toLowerCase()}`;
    const f = parseQuantityInput(typedForecast, s.unit, s.scale, flabel);
    if (f.error) out.problems.push({ field: fbox, problem: f.error });
    out.input.forecasts[s.metric] = f.value === undefined ? null : { value: f.value, field: fbox, label: flabel };
    out.rows[s.metric] = [];
    for (let n = 1; n <= 50; n++) {
      const row = claimRow(s.metric, n);
      if (body[`${row}-value`] === undefined && body[`${row}-key`] === undefined) break;
      const typed = {
        n,
        quarter: text(body[`${row}-quarter`]),
        value: text(body[`${row}-value`]),
        key: text(body[`${row}-key`]),
        evidence: text(body[`${row}-evidence`]).trim(),
      };
      out.rows[s.metric].push(typed);
      if (!typed.value.trim() && !typed.key.trim() && !typed.evidence) continue; // an empty row: nothing claimed
      const label = `${name} (claim ${n})`;
      const v = parseQuantityInput(
        typed.value,
        s.unit,
        s.scale,
        `Amount claimed for ${name.toLowerCase()} (claim ${n})`,
      );
      let ok = true;
      if (v.error) {
        out.problems.push({ field: `${row}-value`, problem: v.error });
        ok = false;
      } else if (v.value === undefined) {
        out.problems.push({
          field: `${row}-value`,
          problem: `Enter the amount claimed for ${name.toLowerCase()} (claim ${n})`,
        });
        ok = false;
      }
      if (!typed.key.trim()) {
        out.problems.push({
          field: `${row}-key`,
          problem: `Enter the claim key of ${name.toLowerCase()} (claim ${n}): the employer, site or reference claimed`,
        });
        ok = false;
      } else if (typed.key.trim().length > 200) {
        out.problems.push({
          field: `${row}-key`,
          problem: `The claim key of ${label} must be 200 characters or fewer`,
        });
        ok = false;
      }
      if (typed.evidence.length > 2000) {
        out.problems.push({
          field: `${row}-evidence`,
          problem: `The evidence note of ${label} must be 2,000 characters or fewer`,
        });
        ok = false;
      }
      if (!typed.quarter.trim()) {
        out.problems.push({
          field: `${row}-quarter`,
          problem: `Enter the quarter of ${name.toLowerCase()} (claim ${n})`,
        });
        ok = false;
      }
      if (ok)
        out.input.claims.push({
          field: row,
          label,
          metric: s.metric,
          quarter: normaliseQuarterInput(typed.quarter),
          value: v.value,
          claimKey: typed.key,
          evidence: typed.evidence || null,
        });
    }
  }
  return out;
}
