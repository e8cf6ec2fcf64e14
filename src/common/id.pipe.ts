import { Injectable, PipeTransform } from '@nestjs/common';
import { ValidationError } from './errors';

/** A numeric id in a URL: 1 to 2,147,483,647, otherwise 400 naming the parameter. */
@Injectable()
export class IdPipe implements PipeTransform<string, number> {
  protected readonly field: string = 'id';

  transform(value: string): number {
    if (!/^[1-9]\d{0,9}$/.test(value) || Number(value) > 2_147_483_647) {
      throw new ValidationError([{ field: this.field, problem: 'must be a whole number id' }]);
    }
    return Number(value);
  }
}
