import { parseQuarter } from '../common/fiscal';
import { addYears, lastMonitoringQuarter, monitoringEnd, outputQuarterPlace } from './monitoring';

// Worked by hand: the 2014 deal ends 2021-03-31 (2020-21 Q4); five years on is 2026-03-31 (2025-26 Q4).
describe('monitoring end (outputs after the programme ends)', () => {
  it.each([
    ['2021-03-31', 5, '2026-03-31'],
    ['2020-02-29', 5, '2025-02-28'],
    ['2020-02-29', 4, '2024-02-29'],
    ['2019-12-31', 1, '2020-12-31'],
  ])('%s plus %i years is %s', (d, n, want) => expect(addYears(d, n)).toBe(want));

  it('defaults to five years after the programme end; a programme may set its own', () => {
    expect(monitoringEnd({ endsOn: '2021-03-31', monitoringEndsOn: null })).toBe('2026-03-31');
    expect(monitoringEnd({ endsOn: '2021-03-31', monitoringEndsOn: '2023-06-30' })).toBe('2023-06-30');
    expect(lastMonitoringQuarter({ endsOn: '2021-03-31', monitoringEndsOn: null })).toBe('2025-26 Q4');
    // A monitoring end inside a quarter allows that quarter (outputs are recorded per quarter).
    expect(lastMonitoringQuarter({ endsOn: '2021-03-31', monitoringEndsOn: '2023-05-15' })).toBe('2023-24 Q1');
  });

  it.each([
    ['2020-21 Q4', null, 'programme'],
    ['2021-22 Q1', null, 'monitoring'],
    ['2025-26 Q4', null, 'monitoring'],
    ['2026-27 Q1', null, 'after_monitoring'],
    ['2023-24 Q1', '2023-06-30', 'monitoring'],
    ['2023-24 Q2', '2023-06-30', 'after_monitoring'],
  ])('%s with monitoring end %s is %s', (q, end, want) =>
    expect(outputQuarterPlace({ endsOn: '2021-03-31', monitoringEndsOn: end }, parseQuarter(q))).toBe(want),
  );
});
