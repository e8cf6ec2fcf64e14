import { DomainError, ValidationError } from '../common/errors';
import { checkDraftClaims } from './draft-claims';

const claim = (metric: string, claimKey: string, quarter = '2016-17 Q4') => ({
  metric,
  quarter,
  claimKey,
  evidence: 'payroll',
});
const ok = (claimKey: string, value: number, quarter = '2016-17 Q4') => ({ ok: { quarter, value, claimKey } });

describe('checkDraftClaims: the one rule for a draft’s output claims', () => {
  it('holds each checked claim, normalised, with its evidence', () => {
    expect(
      checkDraftClaims('ETRURIA', [
        { claim: claim('JOBS_CREATED', ' employer:one '), outcome: ok('EMPLOYER:ONE', 12) },
        { claim: claim('JOBS_CREATED', 'employer:two', '2016-17 q4'), outcome: ok('EMPLOYER:TWO', 3) },
      ]),
    ).toEqual({
      claims: [
        { metric: 'JOBS_CREATED', quarter: '2016-17 Q4', value: 12, claimKey: 'EMPLOYER:ONE', evidence: 'payroll' },
        { metric: 'JOBS_CREATED', quarter: '2016-17 Q4', value: 3, claimKey: 'EMPLOYER:TWO', evidence: 'payroll' },
      ],
      problems: [],
    });
  });

  it('tells every problem at once, each on its claim and part, in the claims’ order', () => {
    const r = checkDraftClaims('ETRURIA', [
      { claim: claim('ROAD_NEW', 'A'), outcome: { noTarget: true } },
      { claim: claim('JOBS_CREATED', 'four'), outcome: ok('FOUR', 1) },
      { claim: claim('JOBS_CREATED', 'Four '), outcome: ok('FOUR', 2) },
      // The same key in another quarter or of another metric is another claim.
      { claim: claim('JOBS_CREATED', 'four', '2016-17 Q3'), outcome: ok('FOUR', 2, '2016-17 Q3') },
      { claim: claim('HOMES', 'four'), outcome: ok('FOUR', 2) },
      {
        claim: claim('JOBS_CREATED', ' old  key'),
        outcome: { error: new DomainError('DUPLICATE', 'already there', 409) },
      },
      {
        claim: claim('JOBS_CREATED', 'x'),
        outcome: {
          error: new ValidationError([
            { field: 'value', problem: 'must be a whole number' },
            { field: 'metric', problem: 'is unknown' },
          ]),
        },
      },
      {
        claim: claim('JOBS_CREATED', 'y'),
        outcome: {
          error: new DomainError('QUARTER_CLOSED', 'quarter: 2014-15 Q1 is closed for actuals', 422, {
            field: 'quarter',
          }),
        },
      },
    ]);
    expect(r.claims.map((c) => `${c.metric} ${c.quarter} ${c.claimKey} ${c.value}`)).toEqual([
      'JOBS_CREATED 2016-17 Q4 FOUR 1',
      'JOBS_CREATED 2016-17 Q3 FOUR 2',
      'HOMES 2016-17 Q4 FOUR 2',
    ]);
    expect(r.problems).toEqual([
      { index: 0, part: 'metric', problem: 'ETRURIA has no target for ROAD_NEW' },
      { index: 2, part: 'claimKey', problem: 'FOUR is claimed twice for 2016-17 Q4 in this update' },
      { index: 5, part: 'claimKey', problem: 'ETRURIA has already claimed OLD KEY for 2016-17 Q4' },
      { index: 6, part: 'value', problem: 'must be a whole number' },
      { index: 6, part: 'claim', problem: 'is unknown' },
      { index: 7, part: 'quarter', problem: '2014-15 Q1 is closed for actuals' },
    ]);
  });

  it('throws on what is not the claim’s fault', () => {
    const boom = new Error('database gone');
    expect(() =>
      checkDraftClaims('ETRURIA', [{ claim: claim('JOBS_CREATED', 'a'), outcome: { error: boom } }]),
    ).toThrow(boom);
  });
});
