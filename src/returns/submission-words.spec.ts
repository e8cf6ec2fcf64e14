import { returnStatus } from '../periods/programme-clock';
import { submissionLines } from './submission-words';

describe('what `return submit` says about time', () => {
  const q1 = { year: 2015, q: 1 as const };
  const base = {
    programme: 'P',
    quarter: '2015-16 Q1',
    submittedBy: 'Fin',
    submittedAt: '2026-12-02T10:12:13.000Z',
  };

  it.each([
    // Due 31 July 2015 (one month after 30 June); submitted on the due date is on time.
    ['2015-07-31', 'submitted on time'],
    ['2015-07-20', 'submitted on time'],
    ['2015-08-01', 'submitted late, 1 day after the due date'],
    ['2015-08-03', 'submitted late, 3 days after the due date'],
  ])('version 1 on %s: %s', (on, verdict) => {
    expect(submissionLines({ ...base, version: 1, submittedOn: on, standing: returnStatus(q1, on, on) })).toEqual([
      `submitted P 2015-16 Q1 version 1 on ${Number(on.slice(8))} ${on < '2015-08-01' ? 'July' : 'August'} 2015 (programme date ${on}; recorded 2026-12-02T10:12:13.000Z UTC) by Fin`,
      `due by 31 July 2015: ${verdict}`,
    ]);
  });

  it('a correction is judged by the first version, and says so', () => {
    expect(
      submissionLines({
        ...base,
        version: 2,
        submittedOn: '2015-09-10',
        standing: returnStatus(q1, '2015-07-30', '2015-09-10'),
      })[1],
    ).toBe('due by 31 July 2015: first submitted on 30 July 2015 (version 1), on time');
    expect(
      submissionLines({
        ...base,
        version: 3,
        submittedOn: '2015-09-10',
        standing: returnStatus(q1, '2015-08-02', '2015-09-10', 1),
      })[1],
    ).toBe('due by 31 July 2015: first submitted on 2 August 2015 (version 1), late by 2 days');
  });

  it('a programme allowing three months moves the due date', () => {
    const s = returnStatus(q1, '2015-09-30', '2015-09-30', 3);
    expect(submissionLines({ ...base, version: 1, submittedOn: '2015-09-30', standing: s })[1]).toBe(
      'due by 30 September 2015: submitted on time',
    );
  });
});
