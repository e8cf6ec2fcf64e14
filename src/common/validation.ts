import { applyDecorators, ValidationError as CvError, ValidationPipe } from '@nestjs/common';
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

/** Unknown fields are refused, every problem names its field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
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
