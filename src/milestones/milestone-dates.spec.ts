import { milestoneDateProblems } from './milestone-dates';

/** The 2014 programme runs from 1 April 2015 to 31 March 2021; its reporting quarter here ends 31 March 2017. */
const PROG = { startsOn: '2015-04-01', endsOn: '2021-03-31' };
const QUARTER_END = '2017-03-31';

describe('milestone dates: one check for every door', () => {
  const check = (projectLevel: boolean, dates: Record<string, string | null>) =>
    milestoneDateProblems(PROG, projectLevel, dates, QUARTER_END).map((p) => [p.field, p.code, p.problem]);

  it('accepts dates inside the programme and an actual date up to the end of the reporting quarter', () => {
    expect(check(true, { baselineDate: '2015-04-01', forecastDate: '2021-03-31', actualDate: '2017-03-31' })).toEqual(
      [],
    );
    expect(check(true, { forecastDate: null, actualDate: null })).toEqual([]);
  });

  it('refuses a project milestone’s date before the programme or after it, naming the field', () => {
    expect(check(true, { baselineDate: '2015-03-31', forecastDate: '2021-04-01' })).toEqual([
      ['baselineDate', 'DATE_OUTSIDE_PROGRAMME', '2015-03-31 is outside the programme (2015-04-01 to 2021-03-31)'],
      ['forecastDate', 'DATE_OUTSIDE_PROGRAMME', '2021-04-01 is outside the programme (2015-04-01 to 2021-03-31)'],
    ]);
  });

  it('lets a deal commitment (programme-level) fall before the programme, never after it', () => {
    expect(check(false, { baselineDate: '2014-09-30' })).toEqual([]);
    expect(check(false, { forecastDate: '2021-06-30' })).toEqual([
      ['forecastDate', 'DATE_OUTSIDE_PROGRAMME', '2021-06-30 is outside the programme (up to 2021-03-31)'],
    ]);
  });

  it('refuses an actual date after the reporting quarter once, as a future date', () => {
    expect(check(true, { actualDate: '2017-04-01' })).toEqual([
      [
        'actualDate',
        'FUTURE_DATE',
        '2017-04-01 is after the end of the reporting quarter (2017-03-31): an actual date cannot be in the future',
      ],
    ]);
    // After the programme's end as well: said once, as outside the programme.
    expect(check(true, { actualDate: '2021-06-30' }).map((p) => p[1])).toEqual(['DATE_OUTSIDE_PROGRAMME']);
  });
});
