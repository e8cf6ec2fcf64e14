import { applyDecorators, ArgumentMetadata, ValidationError as CvError, ValidationPipe } from '@nestjs/common';
import { IsInt, Max, Min, ValidateIf, ValidationOptions } from 'class-validator';
import { FieldProblem, ValidationError } from './errors';

function flatten(errors: CvError[], prefix = ''): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const e of errors) {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    for (const msg of Object.values(e.constraints ?? {})) {
      out.push({ field, problem: msg.startsWith(e.property + ' ') ? msg.slice(e.property.length + 1) : msg });
    }
    if (e.children?.length) out.push(...flatten(e.children, field));
  }
  return out;
}

type Flat = Record<string, string | number | boolean | null | undefined>;

const isFlat = (v: unknown, strings: boolean): v is Flat =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  Object.values(v).every((x) =>
    strings
      ? typeof x === 'string'
      : x === null || x === undefined || ['string', 'number', 'boolean'].includes(typeof x),
  );

const copyOf = (o: Flat): Flat => Object.assign(Object.create(Object.getPrototypeOf(o) as object) as Flat, o);

/**
 * The validation pipe, with query strings remembered: a query DTO's checks are pure functions of
 * the query's text, so a query string (every value a string) that passed once is not checked
 * again; each request still gets its own copy of the result. A popular public route is asked
 * the same few queries over and over (class-transformer and class-validator were a tenth of a
 * breakdown request's time). Refused queries are not remembered: they are checked, and refused, each time.
 */
export class QueryMemoValidationPipe extends ValidationPipe {
  private readonly memo = new WeakMap<object, Map<string, Flat>>();

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const type = metadata.metatype;
    if (metadata.type !== 'query' || !type || !isFlat(value, true)) return super.transform(value, metadata);
    const key = JSON.stringify(value);
    let known = this.memo.get(type);
    const hit = known?.get(key);
    if (hit) return copyOf(hit);
    const out: unknown = await super.transform(value, metadata);
    if (key.length <= 1000 && isFlat(out, false) && Object.getPrototypeOf(out) === type.prototype) {
      if (!known) this.memo.set(type, (known = new Map()));
      if (known.size < 256) known.set(key, copyOf(out));
    }
    return out;
  }
}

/** Unknown fields are refused, every problem names its field. */
export function createValidationPipe(): ValidationPipe {
  return new QueryMemoValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ValidationError(flatten(errors)),
  });
}

/**
 * The field may be left out, but when it is sent it is validated, null included. Use it instead
 * of `@IsOptional()` (which also waves null through) wherever the column is NOT NULL: an update
 * sending `null` is then a 400 naming the field, not a constraint failure (500) in the database.
 */
export function IsOmittable(): PropertyDecorator {
  return ValidateIf((_o, v) => v !== undefined);
}

/** The range of a 4-byte integer column (PostgreSQL `integer`): anything outside would fail in the database. */
export const INT4_MAX = 2_147_483_647;

/**
 * A whole number that fits an `integer` column (versions, positions, ids, offsets), at least
 * `min`. Every integer field uses this rather than a bare `@IsInt()`: on PostgreSQL a version of
 * 2,147,483,648 was a 500 ("out of range for type integer").
 */
export function IsInt32(min = 0, options?: ValidationOptions): PropertyDecorator {
  return applyDecorators(IsInt(options), Min(min, options), Max(INT4_MAX, options)) as PropertyDecorator;
}
