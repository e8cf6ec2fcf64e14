import { moneyInWords, poundsText, problemInWords } from './problem-words';

describe('a change kind’s refusal in the form’s words', () => {
  it('says how far a virement overdraws an allocation, in pounds', () => {
    expect(
      problemInWords({
        code: 'NEGATIVE_ALLOCATION',
        problem: 'would take allocation 6 from 2400000.00 to -20000.00: no allocation may go below 0.00',
      }),
    ).toBe(
      'takes £20,000.00 more than the allocation holds (it holds £2,400,000.00; no allocation may go below £0.00)',
    );
  });

  it('says by how much the lines miss balancing, and the headroom line that would balance them', () => {
    expect(
      problemInWords({
        code: 'UNBALANCED',
        problem:
          'the lines do not balance: lines[0] -5.00, lines[1] +3.00; net -2.00 (a reallocation must net to 0.00; to release the difference to the envelope\'s headroom, add the line {"headroom":"LGF","delta":"+2.00"})',
      }),
    ).toBe(
      'the changes add up to -£2.00, not £0.00: make them balance, or release £2.00 to the headroom of LGF on a line of its own',
    );
  });

  it('puts every other figure in pounds, leaving years, quarters and counts alone', () => {
    expect(
      moneyInWords(
        'the periods add up to 1250000.50 but allocation 4 is 2400000.00 (difference -1149999.50): 2016-17 Q2 keeps 2.500',
      ),
    ).toBe(
      'the periods add up to £1,250,000.50 but allocation 4 is £2,400,000.00 (difference -£1,149,999.50): 2016-17 Q2 keeps 2.500',
    );
    expect(problemInWords({ code: 'NEGATIVE_ALLOCATION', problem: 'something else 12.00' })).toBe(
      'something else £12.00',
    );
    expect(poundsText('+1234567890123.45')).toBe('+£1,234,567,890,123.45');
    expect(
      problemInWords({
        code: 'UNBALANCED_PERIODS',
        problem: 'the periods add up to 2300000.00 but allocation 4 is 2400000.00 (difference -100000.00)',
      }),
    ).toBe('the periods add up to £2,300,000.00 but the allocation is £2,400,000.00 (difference -£100,000.00)');
  });
});
