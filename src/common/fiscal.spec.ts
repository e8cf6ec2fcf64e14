import fc from 'fast-check';
import {
  addQuarters,
  compareQuarters,
  dayNumber,
  daysBetween,
  fiscalYearOfDate,
  longDate,
  formatFiscalYear,
  formatQuarter,
  parseDate,
  parseFiscalYear,
  parseQuarter,
  quarterEnd,
  quarterFromIndex,
  quarterIndex,
  quarterOfDate,
  quarterRange,
  quarterStart,
  quarterUrl,
} from './fiscal';

describe('UK financial calendar', () => {
  it('names years 1 April to 31 March', () => {
    expect(formatFiscalYear(2015)).toBe('2015-16');
    expect(formatFiscalYear(1999)).toBe('1999-00');
    expect(parseFiscalYear('2015-16')).toEqual({ start: 2015 });
    expect(parseFiscalYear('1999-00')).toEqual({ start: 1999 });
    expect(() => parseFiscalYear('2015-17')).toThrow('not a financial year');
    expect(() => parseFiscalYear('2015/16')).toThrow();
  });

  it('puts 31 March and 1 April in different years and quarters', () => {
    expect(formatQuarter(quarterOfDate('2016-03-31'))).toBe('2015-16 Q4');
    expect(formatQuarter(quarterOfDate('2016-04-01'))).toBe('2016-17 Q1');
    expect(fiscalYearOfDate('2016-03-31')).toEqual({ start: 2015 });
    expect(fiscalYearOfDate('2016-04-01')).toEqual({ start: 2016 });
    expect(formatQuarter(quarterOfDate('2015-06-30'))).toBe('2015-16 Q1');
    expect(formatQuarter(quarterOfDate('2015-07-01'))).toBe('2015-16 Q2');
    expect(formatQuarter(quarterOfDate('2015-12-31'))).toBe('2015-16 Q3');
    expect(formatQuarter(quarterOfDate('2016-01-01'))).toBe('2015-16 Q4');
  });

  it('gives quarter boundaries as calendar dates', () => {
    expect(quarterStart(parseQuarter('2015-16 Q1'))).toBe('2015-04-01');
    expect(quarterEnd(parseQuarter('2015-16 Q1'))).toBe('2015-06-30');
    expect(quarterStart(parseQuarter('2015-16 Q4'))).toBe('2016-01-01');
    expect(quarterEnd(parseQuarter('2015-16 Q4'))).toBe('2016-03-31');
    expect(quarterEnd(parseQuarter('2019-20 Q4'))).toBe('2020-03-31');
  });

  it('parses quarter codes and their URL form', () => {
    expect(parseQuarter('2015-16 Q1')).toEqual({ year: 2015, q: 1 });
    expect(parseQuarter('2015-16-Q3')).toEqual({ year: 2015, q: 3 });
    expect(quarterUrl('2015-16 Q1')).toBe('2015-16-Q1');
    for (const bad of ['2015-16 Q5', '2015-16 Q0', '2015 Q1', '2015-17 Q1', 'Q1 2015-16', '', '2015-16Q1']) {
      expect(() => parseQuarter(bad)).toThrow();
    }
  });

  it('orders and steps quarters across year ends', () => {
    expect(formatQuarter(addQuarters(parseQuarter('2015-16 Q4'), 1))).toBe('2016-17 Q1');
    expect(formatQuarter(addQuarters(parseQuarter('2016-17 Q1'), -1))).toBe('2015-16 Q4');
    expect(quarterRange(parseQuarter('2015-16 Q3'), parseQuarter('2016-17 Q2')).map(formatQuarter)).toEqual([
      '2015-16 Q3',
      '2015-16 Q4',
      '2016-17 Q1',
      '2016-17 Q2',
    ]);
    expect(compareQuarters(parseQuarter('2016-17 Q1'), parseQuarter('2015-16 Q4'))).toBeGreaterThan(0);
  });

  it('every date falls inside its own quarter (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2100, 0, 1) }), (ms) => {
        const iso = new Date(ms).toISOString().slice(0, 10);
        const q = quarterOfDate(iso);
        return quarterStart(q) <= iso && iso <= quarterEnd(q);
      }),
      { numRuns: 200 },
    );
  });

  it('quarter index round-trips and consecutive quarters abut (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1990 * 4, max: 2100 * 4 }), (i) => {
        const q = quarterFromIndex(i);
        const next = addQuarters(q, 1);
        return (
          quarterIndex(q) === i &&
          parseQuarter(formatQuarter(q)).q === q.q &&
          daysBetween(quarterEnd(q), quarterStart(next)) === 1
        );
      }),
      { numRuns: 200 },
    );
  });

  it('validates calendar dates without time zones', () => {
    expect(() => parseDate('2015-02-29')).toThrow('not a real calendar date');
    expect(parseDate('2016-02-29')).toEqual({ y: 2016, m: 2, d: 29 });
    expect(() => parseDate('2015-13-01')).toThrow();
    expect(() => parseDate('2015-4-1')).toThrow();
    expect(daysBetween('2015-03-31', '2015-04-01')).toBe(1);
    expect(dayNumber('1970-01-02')).toBe(1);
  });
});

describe('longDate (the one calendar formatter)', () => {
  it('writes dates as people do, from a date or a timestamp, and says "no date" as the caller asks', () => {
    expect(longDate('2016-07-29', '')).toBe('29 July 2016');
    expect(longDate('2015-04-01T09:05:00.000Z', '')).toBe('1 April 2015');
    expect(longDate(null, 'no date')).toBe('no date');
    expect(longDate(undefined, '–')).toBe('–');
    expect(longDate('', '')).toBe('');
  });
});
