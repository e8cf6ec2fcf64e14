import { registerDecorator, ValidationOptions } from 'class-validator';
import { MAX_AMOUNT, parseAmount } from './money';

/** An amount in pounds as a canonical two-place decimal string ("2400000.00"), at most MAX_AMOUNT either sign. */
export function IsPounds(
  opts: { allowNegative?: boolean; allowZero?: boolean } = {},
  validationOptions?: ValidationOptions,
) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isPounds',
      target: object.constructor,
      propertyName,
      options: validationOptions,
      validator: {
        validate(value: unknown) {
          try {
            const p = parseAmount(value);
            if (!opts.allowNegative && p < 0) return false;
            if (opts.allowZero === false && p === 0) return false;
            return true;
          } catch {
            return false;
          }
        },
        defaultMessage() {
          const sign = opts.allowNegative ? '' : ' not negative,';
          return `must be pounds as a string with exactly two decimal places,${sign} at most ${MAX_AMOUNT}, e.g. "2400000.00"`;
        },
      },
    });
}
