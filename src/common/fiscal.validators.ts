import { registerDecorator, ValidationOptions } from 'class-validator';
import { isDateString, isQuarterCode, parseFiscalYear } from './fiscal';

function simple(name: string, test: (v: unknown) => boolean, message: string, validationOptions?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name,
      target: object.constructor,
      propertyName,
      options: validationOptions,
      validator: { validate: test, defaultMessage: () => message },
    });
}

export const IsQuarter = (o?: ValidationOptions) =>
  simple(
    'isQuarter',
    (v) => typeof v === 'string' && /^\d{4}-\d{2} Q[1-4]$/.test(v) && isQuarterCode(v),
    'must be a quarter like "2015-16 Q1"',
    o,
  );

export const IsFiscalYear = (o?: ValidationOptions) =>
  simple(
    'isFiscalYear',
    (v) => {
      try {
        parseFiscalYear(v);
        return true;
      } catch {
        return false;
      }
    },
    'must be a financial year like "2015-16"',
    o,
  );

export const IsCalendarDate = (o?: ValidationOptions) =>
  simple('isCalendarDate', isDateString, 'must be a real calendar date like "2015-04-01"', o);
