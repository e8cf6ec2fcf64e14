import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { ValidationError } from './errors';
import { createValidationPipe } from './validation';

class KindQuery {
  @IsOptional()
  @IsIn(['approved', 'draft'])
  approval?: string;

  @IsOptional()
  @IsString()
  @Length(1, 5)
  by?: string;
}

const query = { type: 'query' as const, metatype: KindQuery, data: undefined };

describe('the validation pipe remembers query strings that passed', () => {
  it('the same query gives equal, separate instances of the DTO each time', async () => {
    const pipe = createValidationPipe();
    const a = (await pipe.transform({ approval: 'draft', by: 'year' }, query)) as KindQuery;
    const b = (await pipe.transform({ approval: 'draft', by: 'year' }, query)) as KindQuery;
    expect(a).toBeInstanceOf(KindQuery);
    expect(b).toBeInstanceOf(KindQuery);
    expect({ ...b }).toEqual({ approval: 'draft', by: 'year' });
    expect(b).not.toBe(a);
    a.by = 'changed';
    const c = (await pipe.transform({ approval: 'draft', by: 'year' }, query)) as KindQuery;
    expect(c.by).toBe('year');
  });

  it('a refused query is refused every time, naming the field; unknown fields too', async () => {
    const pipe = createValidationPipe();
    for (let i = 0; i < 2; i++) {
      await expect(pipe.transform({ approval: 'maybe' }, query)).rejects.toThrow(ValidationError);
      await expect(pipe.transform({ approval: 'maybe' }, query)).rejects.toThrow(/^approval: /);
      await expect(pipe.transform({ by: 'year', colour: 'red' }, query)).rejects.toThrow(/colour/);
    }
    // A query that passed does not let a different one through.
    expect(await pipe.transform({ by: 'year' }, query)).toEqual(Object.assign(new KindQuery(), { by: 'year' }));
    await expect(pipe.transform({ by: 'years!' }, query)).rejects.toThrow(/^by: /);
  });
});
