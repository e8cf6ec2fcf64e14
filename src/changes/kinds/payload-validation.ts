import { applyDecorators } from '@nestjs/common';
import { ClassConstructor, plainToInstance, Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  getMetadataStorage,
  IsArray,
  IsDefined,
  IsIn,
  IsObject,
  IsString,
  Matches,
  MaxLength,
  ValidateBy,
  ValidateIf,
  ValidateNested,
  ValidationArguments,
  ValidationError,
  validateSync,
} from 'class-validator';
import { CODE_PATTERN } from '../../common/dto';
import { isQuarterCode, parseQuarter } from '../../common/fiscal';
import { MoneyFormatError, parseAmount } from '../../common/money';
import { IsPounds } from '../../common/money.validators';
import { Provenance } from '../../common/provenance';
import { IsInt32 } from '../../common/validation';
import { COMMITMENT_STATUSES, CommitmentStatus } from '../../funding/allocation.entity';
import { checkPeriod, IsPeriod, PERIOD_PROBLEM } from '../../funding/period';
import { ChangeProblem } from './kind';

/**
 * Change-request payloads are validated like every other input: a DTO class per kind with
 * class-validator decorators. `validatePayload` runs it and turns class-validator's error tree
 * into the ChangeProblem list, each naming its field ("payload.lines[1].delta"), all at once.
 * Rules between fields (a quarter listed twice, a baseline adding up to its allocation) are the
 * kinds' business, on the validated DTO.
 */
export function validatePayload<T extends object>(
  cls: ClassConstructor<T>,
  payload: unknown,
): { value: T | undefined; problems: ChangeProblem[] } {
  if (!isObject(payload)) return { value: undefined, problems: [invalid('payload', 'must be an object')] };
  const value = plainToInstance(cls, payload);
  // stopAtFirstError: one problem per field, the first that applies (required, then type, then form).
  const errors = validateSync(value, {
    whitelist: true,
    forbidNonWhitelisted: true,
    stopAtFirstError: true,
    validationError: { target: true, value: false },
  });
  const problems = toProblems(errors, 'payload');
  // Rules between fields are checked only on a payload whose every field is well formed.
  return { value: problems.length ? undefined : value, problems };
}

export function invalid(field: string, problem: string, code = 'INVALID'): ChangeProblem {
  return { field, problem, code };
}

/** No problem names the field or anything inside it: its value can be read. */
export function clean(problems: readonly ChangeProblem[], field: string): boolean {
  return !problems.some((p) => p.field === field || p.field.startsWith(`${field}.`) || p.field.startsWith(`${field}[`));
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The fields a payload class declares, in order: what an unknown field is told to use instead. */
function fieldsOf(target: object | undefined): string[] {
  if (!target) return [];
  const metas = getMetadataStorage().getTargetValidationMetadatas(target.constructor, '', true, false);
  return [...new Set(metas.map((m) => m.propertyName))];
}

function toProblems(errors: ValidationError[], prefix: string): ChangeProblem[] {
  const out: ChangeProblem[] = [];
  for (const e of errors) {
    const field = /^\d+$/.test(e.property) ? `${prefix}[${e.property}]` : `${prefix}.${e.property}`;
    for (const [type, message] of Object.entries(e.constraints ?? {})) {
      if (type === 'whitelistValidation')
        out.push(invalid(field, `is not a field of this change (expected ${fieldsOf(e.target).join(', ')})`));
      // A list entry that is not an object (class-validator's own wording names no field).
      else if (type === 'nestedValidation') out.push(invalid(field, 'must be an object'));
      else out.push(invalid(field, message));
    }
    if (e.children?.length) out.push(...toProblems(e.children, field));
  }
  return out;
}

// ---- Field decorators: the wording every kind's payload has always used. ----

/** A non-empty string of at most `max` characters; `optional` lets it be left out (or null). */
export function Text(max = 300, opts: { optional?: boolean; pattern?: RegExp; message?: string } = {}) {
  return applyDecorators(
    ...(opts.optional ? [ValidateIf((o: Record<string, unknown>, v: unknown) => v !== undefined && v !== null)] : []),
    IsDefined({ message: 'is required' }),
    IsString({ message: 'must be a non-empty string' }),
    Matches(/\S/, { message: 'must be a non-empty string' }),
    MaxLength(max, { message: `must be at most ${max} characters` }),
    ...(opts.pattern ? [Matches(opts.pattern, { message: opts.message ?? 'has the wrong form' })] : []),
  );
}

/** A code: upper-case letters, digits, dot, dash or underscore (CODE_PATTERN). */
export function Code(opts: { optional?: boolean } = {}) {
  return Text(60, {
    ...opts,
    pattern: CODE_PATTERN,
    message: 'must be a code of upper-case letters, digits, dot, dash or underscore, e.g. "ETRURIA"',
  });
}

/** A row id: a whole number that fits an integer column. */
export const Id = () => IsInt32(1, { message: 'must be a whole number id' });

export type PoundsSign = 'positive' | 'nonzero' | 'nonnegative';

/** Canonical pound strings (`@IsPounds`); `sign` says what the amount may be, the message says what is wrong. */
export function Pounds(sign: PoundsSign) {
  const opts = {
    positive: { allowZero: false },
    nonzero: { allowNegative: true, allowZero: false },
    nonnegative: {},
  }[sign];
  return IsPounds(opts, { message: (a: ValidationArguments) => poundsProblem(a.value, sign) });
}

function poundsProblem(v: unknown, sign: PoundsSign): string {
  let pence: number;
  try {
    pence = parseAmount(v);
  } catch (e) {
    return e instanceof MoneyFormatError ? e.problem : 'must be pounds with two decimal places';
  }
  if (sign === 'positive') return 'must be more than 0.00';
  if (sign === 'nonzero') return 'must not be 0.00 (leave the line out)';
  return pence < 0 ? 'must not be negative' : 'must be pounds with two decimal places';
}

/** An allocation period in the compact form (`@IsPeriod`) whose years parse, answered as `checkPeriod` words it. */
export function Period() {
  const message = (a: ValidationArguments) => {
    const p = checkPeriod(a.value);
    return 'problem' in p ? p.problem : PERIOD_PROBLEM;
  };
  return applyDecorators(
    IsPeriod({ message }),
    ValidateBy(
      { name: 'isParsablePeriod', validator: { validate: (v) => !('problem' in checkPeriod(v)) } },
      { message },
    ),
  );
}

/** A quarter as the fiscal calendar reads it ("2015-16 Q1"); the parser's own words when not. */
export const Quarter = () =>
  ValidateBy(
    { name: 'isQuarter', validator: { validate: isQuarterCode } },
    {
      message: (a: ValidationArguments) => {
        try {
          parseQuarter(a.value);
          return 'must be a quarter like "2015-16 Q1"';
        } catch (e) {
          return (e as Error).message;
        }
      },
    },
  );

export const OneOf = (values: readonly string[]) =>
  IsIn([...values], { message: `must be one of ${values.join(', ')}` });

/** A nested object of class `cls`; `optional` lets it be left out (null is still refused). */
export function Nested(cls: () => ClassConstructor<object>, opts: { optional?: boolean } = {}) {
  return applyDecorators(
    ...(opts.optional ? [ValidateIf((o: Record<string, unknown>, v: unknown) => v !== undefined)] : []),
    IsObject({ message: 'must be an object' }),
    ValidateNested(),
    Type(cls),
  );
}

/** A list of `min` to `max` objects of class `cls`, each validated and named by its index. */
export function ListOf(cls: () => ClassConstructor<object>, min = 1, max = 500, opts: { optional?: boolean } = {}) {
  return applyDecorators(
    ...(opts.optional ? [ValidateIf((o: Record<string, unknown>, v: unknown) => v !== undefined)] : []),
    IsArray({ message: 'must be a list' }),
    ArrayMinSize(min, { message: `must have ${min} to ${max} entries` }),
    ArrayMaxSize(max, { message: `must have ${min} to ${max} entries` }),
    ValidateNested({ each: true }),
    Type(cls),
    // An entry that is itself a list would be validated as a list of entries: make it "not an object".
    Transform(({ value }: { value: unknown }) =>
      Array.isArray(value) ? value.map((x: unknown) => (Array.isArray(x) ? null : x)) : value,
    ),
  );
}

// ---- Payload parts more than one kind carries. ----

/** Provenance as every money route takes it: document and quote, optional section and printed figure. */
export class SourceDto {
  @Text(200) document: string;
  @Text(300, { optional: true }) section?: string | null;
  @Text(5000) quote: string;
  @Text(50, { optional: true }) printed?: string | null;
}

export function provenance(s: SourceDto | undefined): Provenance | undefined {
  return s
    ? {
        document: s.document,
        section: s.section ?? null,
        quote: s.quote,
        printed: s.printed ?? null,
        illustrative: false,
      }
    : undefined;
}

/** A baseline line: a quarter and what it is planned to spend. */
export class QuarterAmountDto {
  @Quarter() quarter: string;
  @Pounds('nonnegative') amount: string;
}

/** A re-profile line: a quarter and the signed move of its baseline. */
export class QuarterDeltaDto {
  @Quarter() quarter: string;
  @Pounds('nonzero') delta: string;
}

/** A new allocation as add_project and a reallocation's "new" line give it (its amount aside). */
export class NewAllocationFields {
  @Code() sourceKind: string;
  @Period() period: string;
  @OneOf(COMMITMENT_STATUSES.filter((s) => s !== 'withdrawn')) commitmentStatus: CommitmentStatus;
  @Text(2000, { optional: true }) description?: string | null;
  /** The allocation's baseline spend profile: quarters adding up to its amount. */
  @ListOf(() => QuarterAmountDto, 1, 200, { optional: true }) baseline?: QuarterAmountDto[];
  /** Where the money comes from (document, quote, optional section and printed figure). */
  @Nested(() => SourceDto, { optional: true }) source?: SourceDto;
}
