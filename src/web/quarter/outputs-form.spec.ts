import { normaliseQuarterInput, parseQuantityInput, showQuantity } from './outputs-form';

describe('the outputs form’s quantity boxes', () => {
  const jobs = (raw: string) => parseQuantityInput(raw, 'count', 1, 'Jobs');
  const ha = (raw: string) => parseQuantityInput(raw, 'ha', 100, 'Land');

  it.each([
    ['1,200', 1200],
    [' 45 ', 45],
    ['007', 7],
    ['12.0', 12],
    ['', undefined],
  ])('reads the count %p as %p', (raw, value) => expect(jobs(raw)).toEqual(value === undefined ? {} : { value }));

  it.each([
    ['12.5', 'Jobs must be a whole number, like 12'],
    ['-3', 'Jobs must be 0 or more'],
    ['twelve', 'Jobs must be a number, like 12'],
    ['1e3', 'Jobs must be a number, like 12'],
  ])('refuses the count %p naming the field', (raw, error) => expect(jobs(raw)).toEqual({ error }));

  it('pads hectares to two places, accepts the unit typed, and refuses a third place', () => {
    expect(ha('2.5 ha')).toEqual({ value: '2.50' });
    expect(ha('1,234')).toEqual({ value: '1234.00' });
    expect(ha('1.250')).toEqual({ value: '1.25' });
    expect(ha('1.255')).toEqual({ error: 'Land must have no more than 2 decimal places, like 12.00' });
  });

  it('shows stored units back with thousands separated', () => {
    expect([showQuantity(1020, 1), showQuantity(250, 100), showQuantity(2100, 1000), showQuantity(null, 1)]).toEqual([
      '1,020',
      '2.50',
      '2.100',
      '',
    ]);
  });

  it('reads quarters typed loosely, leaving anything else for the rules to refuse', () => {
    expect(['2016/17 q4', '2016-17-Q4', ' 2016-17  Q4 ', 'Q4 2016'].map(normaliseQuarterInput)).toEqual([
      '2016-17 Q4',
      '2016-17 Q4',
      '2016-17 Q4',
      'Q4 2016',
    ]);
  });
});
