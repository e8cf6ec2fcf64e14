import fc from 'fast-check';
import { formatQuantity, parseQuantity } from './output-units';

const km = { unit: 'km', scale: 1000 };
const ha = { unit: 'ha', scale: 100 };
const count = { unit: 'count', scale: 1 };

describe('output quantities', () => {
  it('km are stored as metres and spoken with three places', () => {
    expect(parseQuantity('1.250', km)).toEqual({ value: 1250 });
    expect(formatQuantity(1250, km)).toBe('1.250');
    expect(formatQuantity(5, km)).toBe('0.005');
  });
  it('hectares are hundredths; counts are integers', () => {
    expect(parseQuantity('12.50', ha)).toEqual({ value: 1250 });
    expect(parseQuantity(42, count)).toEqual({ value: 42 });
    expect(formatQuantity(42, count)).toBe(42);
  });
  it.each([
    ['1.25', km],
    ['1.2500', km],
    [1.25, km],
    ['-1.250', km],
    ['1e3', km],
    ['abc', ha],
    ['42', count],
    [4.5, count],
    [-1, count],
    [null, count],
  ])('%p is refused for %p', (v, m) => {
    expect(parseQuantity(v, m)).toEqual({ problem: { field: 'value', problem: expect.stringContaining('must be') } });
  });
  it('format then parse is the identity', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 ** 12 }),
        fc.constantFrom(km, ha, count, { unit: 'gbp', scale: 100 }),
        (v, m) => {
          expect(parseQuantity(formatQuantity(v, m), m)).toEqual({ value: v });
        },
      ),
      { numRuns: 200 },
    );
  });
});
