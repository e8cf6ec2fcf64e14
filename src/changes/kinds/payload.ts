import { Provenance } from '../../common/provenance';
import { CODE_PATTERN } from '../../common/dto';
import { MoneyFormatError, parseAmount } from '../../common/money';
import { checkPeriod, parsePeriod } from '../../funding/period';
import { ChangeProblem } from './kind';

type Obj = Record<string, unknown>;

/**
 * Reads a JSON payload field by field, collecting problems that name the field
 * ("payload.lines[1].delta") instead of throwing at the first.
 */
export class PayloadReader {
  readonly problems: ChangeProblem[] = [];

  invalid(field: string, problem: string, code = 'INVALID'): undefined {
    this.problems.push({ field, problem, code });
    return undefined;
  }

  object(v: unknown, field: string, allowed: readonly string[]): Obj | undefined {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return this.invalid(field, 'must be an object');
    for (const k of Object.keys(v))
      if (!allowed.includes(k))
        this.invalid(`${field}.${k}`, `is not a field of this change (expected ${allowed.join(', ')})`);
    return v as Obj;
  }

  array(o: Obj, key: string, field: string, min = 1, max = 500): unknown[] | undefined {
    const v = o[key];
    if (!Array.isArray(v)) return this.invalid(`${field}.${key}`, 'must be a list');
    if (v.length < min || v.length > max) return this.invalid(`${field}.${key}`, `must have ${min} to ${max} entries`);
    return v;
  }

  string(
    o: Obj,
    key: string,
    field: string,
    opts: { required?: boolean; max?: number; pattern?: RegExp; message?: string } = {},
  ): string | undefined {
    const v = o[key];
    if (v === undefined || v === null)
      return opts.required === false ? undefined : this.invalid(`${field}.${key}`, 'is required');
    if (typeof v !== 'string' || v.trim() === '') return this.invalid(`${field}.${key}`, 'must be a non-empty string');
    if (v.length > (opts.max ?? 300))
      return this.invalid(`${field}.${key}`, `must be at most ${opts.max ?? 300} characters`);
    if (opts.pattern && !opts.pattern.test(v))
      return this.invalid(`${field}.${key}`, opts.message ?? 'has the wrong form');
    return v;
  }

  code(o: Obj, key: string, field: string, required = true): string | undefined {
    return this.string(o, key, field, {
      required,
      max: 60,
      pattern: CODE_PATTERN,
      message: 'must be a code of upper-case letters, digits, dot, dash or underscore, e.g. "ETRURIA"',
    });
  }

  id(o: Obj, key: string, field: string): number | undefined {
    const v = o[key];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1 || v > 2_147_483_647)
      return this.invalid(`${field}.${key}`, 'must be a whole number id');
    return v;
  }

  /** Canonical pound strings; `sign` says what the amount may be. */
  pounds(o: Obj, key: string, field: string, sign: 'positive' | 'nonzero' | 'nonnegative'): number | undefined {
    let pence: number;
    try {
      pence = parseAmount(o[key]);
    } catch (e) {
      return this.invalid(
        `${field}.${key}`,
        e instanceof MoneyFormatError ? e.problem : 'must be pounds with two decimal places',
      );
    }
    if (sign === 'positive' && pence <= 0) return this.invalid(`${field}.${key}`, 'must be more than 0.00');
    if (sign === 'nonzero' && pence === 0)
      return this.invalid(`${field}.${key}`, 'must not be 0.00 (leave the line out)');
    if (sign === 'nonnegative' && pence < 0) return this.invalid(`${field}.${key}`, 'must not be negative');
    return pence;
  }

  period(o: Obj, key: string, field: string): ReturnType<typeof parsePeriod> | undefined {
    const p = checkPeriod(o[key]);
    return 'problem' in p ? this.invalid(`${field}.${key}`, p.problem) : p;
  }

  /** Provenance as every money route takes it: document and quote, optional section and printed figure. */
  source(o: Obj, key: string, field: string): Provenance | undefined {
    if (o[key] === undefined) return undefined;
    const f = `${field}.${key}`;
    const x = this.object(o[key], f, ['document', 'section', 'quote', 'printed']);
    if (!x) return undefined;
    const document = this.string(x, 'document', f, { max: 200 });
    const section = this.string(x, 'section', f, { required: false, max: 300 });
    const quote = this.string(x, 'quote', f, { max: 5000 });
    const printed = this.string(x, 'printed', f, { required: false, max: 50 });
    if (!document || !quote) return undefined;
    return { document, section: section ?? null, quote, printed: printed ?? null, illustrative: false };
  }

  oneOf<T extends string>(o: Obj, key: string, field: string, values: readonly T[], dflt?: T): T | undefined {
    const v = o[key];
    if (v === undefined && dflt !== undefined) return dflt;
    if (typeof v !== 'string' || !values.includes(v as T))
      return this.invalid(`${field}.${key}`, `must be one of ${values.join(', ')}`);
    return v as T;
  }
}
