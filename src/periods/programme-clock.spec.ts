import { parseQuarter } from '../common/fiscal';
import {
  asOfDate,
  chartQuarters,
  decisionPlace,
  decisionQuarter,
  monthEndAfter,
  overdueReturns,
  returnDueDate,
  returnSchedule,
  returnStatus,
  wallClockDate,
} from './programme-clock';

// Every expected value below is worked by hand from the UK financial calendar: Q1 Apr-Jun,
// Q2 Jul-Sep, Q3 Oct-Dec, Q4 Jan-Mar; "2015-16 Q1" ends 30 June 2015.
describe('programme clock: as-of date', () => {
  it('is the programme’s own date, else the wall-clock date given', () => {
    expect(asOfDate({ asOfDate: null }, '2026-12-02')).toBe('2026-12-02');
    expect(asOfDate({ asOfDate: '2017-04-30' }, '2026-12-02')).toBe('2017-04-30');
  });

  it('reads the wall-clock date in UTC whatever the host zone', () => {
    expect(wallClockDate(new Date('2026-12-01T23:30:00.000Z'))).toBe('2026-12-01');
    expect(wallClockDate(new Date('2027-01-01T00:00:00.000+01:00'))).toBe('2026-12-31');
  });
});

describe('programme clock: when a return is due', () => {
  it.each([
    ['2015-06-30', 1, '2015-07-31'],
    ['2015-09-30', 1, '2015-10-31'],
    ['2015-12-31', 1, '2016-01-31'],
    ['2016-03-31', 1, '2016-04-30'],
    ['2016-12-31', 2, '2017-02-28'],
    ['2019-12-31', 2, '2020-02-29'], // 2020 is a leap year
    ['2015-06-30', 0, '2015-06-30'],
    ['2015-06-30', 12, '2016-06-30'],
  ])('the month end %i month(s) after %s... %s', (from, n, want) => expect(monthEndAfter(from, n)).toBe(want));

  it.each([
    ['2015-16 Q1', null, '2015-07-31'],
    ['2015-16 Q2', null, '2015-10-31'],
    ['2015-16 Q3', null, '2016-01-31'],
    ['2015-16 Q4', null, '2016-04-30'],
    ['2016-17 Q4', null, '2017-04-30'], // the demo's last quarter: its as-of date
    ['2020-21 Q4', null, '2021-04-30'], // the 2014 deal's final quarter
    ['2016-17 Q3', 2, '2017-02-28'],
    ['2015-16 Q4', 3, '2016-06-30'],
  ])('%s with %s month(s) is due %s', (q, months, want) => expect(returnDueDate(q, months)).toBe(want));
});

describe('programme clock: a return’s standing on the as-of date', () => {
  const q1 = parseQuarter('2015-16 Q1'); // 1 Apr - 30 Jun 2015, due 31 Jul 2015
  it.each([
    // submitted on (programme date), as-of, status, days late
    [null, '2015-03-31', 'future', 0],
    [null, '2015-04-01', 'open', 0],
    [null, '2015-06-30', 'open', 0],
    [null, '2015-07-01', 'due', 0],
    [null, '2015-07-31', 'due', 0], // on its due date: not yet overdue
    [null, '2015-08-01', 'overdue', 1],
    [null, '2015-12-31', 'overdue', 153], // Aug 31 + Sep 30 + Oct 31 + Nov 30 + Dec 31
    [null, '2026-12-02', 'overdue', 4142], // 31 Jul 2015 to 2 Dec 2026: 11 years (3 leap days: 2016, 2020, 2024) + 124 days
    ['2015-07-20', '2015-08-15', 'submitted', 0],
    ['2015-07-31', '2026-12-02', 'submitted', 0],
    ['2015-08-10', '2015-08-10', 'submitted_late', 10],
  ])('submitted %s, as of %s: %s (%i days late)', (submittedOn, asOf, status, days) =>
    expect(returnStatus(q1, submittedOn, asOf)).toEqual({
      quarter: '2015-16 Q1',
      dueOn: '2015-07-31',
      status,
      submittedOn,
      daysLate: days,
    }),
  );

  it('takes the programme’s own due months', () => {
    expect(returnStatus(q1, null, '2015-08-15', 2)).toMatchObject({ dueOn: '2015-08-31', status: 'due', daysLate: 0 });
    expect(returnStatus(q1, null, '2015-09-01', 2)).toMatchObject({ status: 'overdue', daysLate: 1 });
  });
});

describe('programme clock: the schedule of a programme', () => {
  const deal = { firstQuarter: '2015-16 Q1', endsOn: '2021-03-31', returnDueMonths: null };

  it('a programme that never submits is overdue for every quarter whose due date has passed', () => {
    const s = returnSchedule(deal, new Map(), '2016-01-15');
    expect(s).toHaveLength(24); // 2015-16 Q1 to 2020-21 Q4
    expect(s.slice(0, 5).map((r) => [r.quarter, r.status, r.daysLate])).toEqual([
      ['2015-16 Q1', 'overdue', 168], // 31 Jul 2015 to 15 Jan 2016: 31+30+31+30+31+15
      ['2015-16 Q2', 'overdue', 76], // 31 Oct 2015 to 15 Jan 2016: 30+31+15
      ['2015-16 Q3', 'due', 0], // due 31 Jan 2016
      ['2015-16 Q4', 'open', 0],
      ['2016-17 Q1', 'future', 0],
    ]);
    expect(overdueReturns(s).map((r) => r.quarter)).toEqual(['2015-16 Q1', '2015-16 Q2']);
    // Today, with nothing submitted, every one of the 24 returns is overdue.
    expect(overdueReturns(returnSchedule(deal, new Map(), '2026-12-02'))).toHaveLength(24);
  });

  it('the demo stands at its last quarter’s due date: seven returns on time, the eighth due, none overdue', () => {
    const submitted = new Map(
      ['2015-16 Q1', '2015-16 Q2', '2015-16 Q3', '2015-16 Q4', '2016-17 Q1', '2016-17 Q2', '2016-17 Q3'].map((q) => [
        q,
        returnDueDate(q),
      ]),
    );
    const s = returnSchedule(deal, submitted, '2017-04-30');
    expect(s.slice(0, 10).map((r) => r.status)).toEqual([
      ...Array(7).fill('submitted'),
      'due', // 2016-17 Q4, due 30 April 2017: on its due date, not yet overdue
      'open', // 2017-18 Q1 (April to June 2017) holds 30 April 2017
      'future',
    ]);
    expect(overdueReturns(s)).toEqual([]);
    // A day later the eighth is overdue.
    expect(overdueReturns(returnSchedule(deal, submitted, '2017-05-01')).map((r) => [r.quarter, r.daysLate])).toEqual([
      ['2016-17 Q4', 1],
    ]);
  });
});

describe('programme clock: which quarter a decision belongs to', () => {
  const last = parseQuarter('2020-21 Q4');
  it.each([
    // reporting quarter, programme date of a replayed decision, decided quarter
    ['2016-17 Q4', null, '2016-17 Q4'], // decided now: the reporting quarter, whatever the wall clock says
    ['2015-16 Q1', '2015-12-10T16:00:00.000Z', '2015-16 Q3'], // the demo's virement, replayed
    ['2015-16 Q1', '2016-09-21', '2016-17 Q2'],
    ['2016-17 Q1', '2015-12-10', '2016-17 Q1'], // never into a quarter already submitted
    ['2016-17 Q1', '2026-12-02', '2020-21 Q4'], // never after the programme's last quarter
  ])('reporting %s, dated %s: %s', (reporting, date, want) =>
    expect(decisionQuarter(parseQuarter(reporting), last, date)).toEqual(parseQuarter(want)),
  );

  it.each([
    // decided, last return, the one before, place
    ['2016-17 Q3', '2016-17 Q3', '2016-17 Q2', 'in_last'],
    ['2016-17 Q2', '2016-17 Q3', '2016-17 Q2', 'before'],
    ['2016-17 Q4', '2016-17 Q3', '2016-17 Q2', 'since'],
    ['2015-16 Q3', '2015-16 Q3', null, 'in_last'],
    ['2015-16 Q1', '2015-16 Q3', null, 'in_last'],
    ['2015-16 Q3', '2016-17 Q1', '2015-16 Q2', 'in_last'], // the quarters between the two returns
  ])('decided %s with last return %s (before it %s): %s', (decided, lastReturn, prev, want) =>
    expect(decisionPlace(decided, lastReturn, prev)).toBe(want),
  );
});

describe('programme clock: the quarters of the spend chart', () => {
  it.each([
    ['2015-16 Q1', '2015-16 Q3', ['2015-16 Q1', '2015-16 Q2', '2015-16 Q3']],
    // At close: spend stopped in 2019-20 Q4, every return to 2020-21 Q4 is submitted.
    ['2019-20 Q3', '2020-21 Q4', ['2019-20 Q3', '2019-20 Q4', '2020-21 Q1', '2020-21 Q2', '2020-21 Q3', '2020-21 Q4']],
    ['2015-16 Q1', null, []],
    [null, '2015-16 Q1', []],
    ['2016-17 Q1', '2015-16 Q4', []],
  ])('first spend %s, last submitted %s', (first, last, want) => expect(chartQuarters(first, last)).toEqual(want));
});
