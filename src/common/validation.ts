import { ValidationError as CvError, ValidationPipe } from '@nestjs/common';
import { ValidateIf } from 'class-validator';
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
