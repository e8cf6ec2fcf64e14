import Decimal from 'decimal.js';
import fc from 'fast-check';
import {
  displayMillions,
  displayPounds,
  formatPounds,
  MoneyFormatError,
  parseAmount,
  parseLoosePounds,
  MAX_AMOUNT,
  MAX_AMOUNT_PENCE,
  parsePounds,
  parsePrinted,
  sumPence,
} from './money';

describe('money: canonical pounds strings ⇄ integer pence', () => {
  it.each([
    ['0.00', 0],
    ['0.01', 1],
    ['2400000.00', 240_000_000],
    ['-5.00', -500],
    ['82300000.00', 8_230_000_000],
    ['90071992547409.91', 9_007_199_254_740_991],
  ])('parses %s to %d pence', (s, p) => expect(parsePounds(s)).toBe(p));

  it.each([
    '5',
    '5.0',
    '5.001',
    '1e5',
    'NaN',
    '',
    ' 5.00',
    '5.00 ',
    '05.00',
    '+5.00',
    '5,000.00',
    '£5.00',
    '-0.0',
    'Infinity',
  ])('refuses %j', (s) => {
    expect(() => parsePounds(s)).toThrow(MoneyFormatError);
  });

  it('refuses non-strings and amounts beyond safe integers', () => {
    expect(() => parsePounds(5)).toThrow(MoneyFormatError);
    expect(() => parsePounds(null)).toThrow(MoneyFormatError);
    expect(() => parsePounds('90071992547409.92')).toThrow('too large');
  });

  it('input amounts stop at the documented maximum, £1,000,000,000.00 either sign; totals may exceed it', () => {
    expect(parseAmount(MAX_AMOUNT)).toBe(MAX_AMOUNT_PENCE);
    expect(parseAmount('-1000000000.00')).toBe(-MAX_AMOUNT_PENCE);
    expect(() => parseAmount('1000000000.01')).toThrow('must be at most 1000000000.00');
    expect(() => parseAmount('90071992547409.91')).toThrow('must be at most 1000000000.00');
    expect(() => parseLoosePounds('1,000,000,000.01')).toThrow('must be at most 1000000000.00');
    expect(() => parseLoosePounds(1e10)).toThrow('must be at most 1000000000.00');
    expect(parsePounds('5000000000.00')).toBe(500_000_000_000);
    // 90,071 maximal amounts still sum exactly (under 2^53 pence).
    expect(Number.isSafeInteger(90_071 * MAX_AMOUNT_PENCE)).toBe(true);
  });

  it('formats pence canonically, never -0.00', () => {
    expect(formatPounds(0)).toBe('0.00');
    expect(formatPounds(-0)).toBe('0.00');
    expect(formatPounds(1)).toBe('0.01');
    expect(formatPounds(-1)).toBe('-0.01');
    expect(formatPounds(240_000_000)).toBe('2400000.00');
    expect(() => formatPounds(0.5)).toThrow(MoneyFormatError);
  });

  it('integer formatting agrees with decimal.js for every safe amount, the extremes included', () => {
    const viaDecimal = (p: number) => new Decimal(p).dividedBy(100).toFixed(2);
    for (const p of [Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 99, -99, 100, -100, 101, 9, -9])
      expect(formatPounds(p)).toBe(viaDecimal(p));
    fc.assert(
      fc.property(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (p) => {
        expect(formatPounds(p)).toBe(viaDecimal(p));
      }),
      { numRuns: 500 },
    );
  });

  it('£0.1m steps are exact: 823 steps of £0.1m make £82.3m', () => {
    const step = parsePounds('100000.00');
    expect(sumPence(Array.from({ length: 823 }, () => step))).toBe(parsePounds('82300000.00'));
    // The float way would drift: 0.1 * 823 !== 82.3 in binary.
    expect(0.1 * 823).not.toBe(82.3);
  });

  it('round-trips every safe amount exactly', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
        (p) => parsePounds(formatPounds(p)) === (p === 0 ? 0 : p),
      ),
      { numRuns: 200 },
    );
  });

  it('sums exactly whatever the order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -1e12, max: 1e12 }), { maxLength: 50 }),
        (xs) => sumPence(xs) === sumPence([...xs].reverse()),
      ),
      { numRuns: 200 },
    );
  });

  it('loose input for CLI and spreadsheets', () => {
    expect(parseLoosePounds('2,400,000')).toBe(240_000_000);
    expect(parseLoosePounds('12.3')).toBe(1230);
    expect(parseLoosePounds('£1,000.50')).toBe(100_050);
    expect(parseLoosePounds(2400000)).toBe(240_000_000);
    expect(parseLoosePounds(0.1 + 0.2)).toBe(30); // spreadsheet float noise tolerated
    expect(() => parseLoosePounds('1.005')).toThrow('two decimal places');
    expect(() => parseLoosePounds(1.005)).toThrow('two decimal places');
    expect(() => parseLoosePounds('12,34')).toThrow();
    expect(() => parseLoosePounds(Number.NaN)).toThrow();
    expect(() => parseLoosePounds('abc')).toThrow();
  });

  it('reads printed figures with their precision', () => {
    expect(parsePrinted('£2.4m', 'pounds')).toEqual({ pence: 240_000_000, precisionPence: 10_000_000 });
    expect(parsePrinted('£34m', 'pounds')).toEqual({ pence: 3_400_000_000, precisionPence: 100_000_000 });
    expect(parsePrinted('21.', 'millions')).toEqual({ pence: 2_100_000_000, precisionPence: 100_000_000 });
    expect(parsePrinted('61.3', 'millions')).toEqual({ pence: 6_130_000_000, precisionPence: 10_000_000 });
    expect(parsePrinted('£250,000', 'pounds')).toEqual({ pence: 25_000_000, precisionPence: 100 });
  });

  it('displays for people', () => {
    expect(displayPounds(240_000_000)).toBe('£2,400,000.00');
    expect(displayPounds(-123_456)).toBe('-£1,234.56');
    expect(displayMillions(8_230_000_000)).toBe('£82.3m');
    expect(displayMillions(25_000_000)).toBe('£0.3m');
    expect(displayMillions(-690_000_000)).toBe('-£6.9m');
  });
});
