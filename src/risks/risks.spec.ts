import { checkRisk } from './risks.service';

describe('a risk’s rules', () => {
  it('accepts levels 1–5 typed as digits and trims the words', () => {
    expect(
      checkRisk({ description: ' Costs rise ', likelihood: '5', impact: 1, mitigation: '  ', owner: ' Director ' }),
    ).toEqual({
      risk: { description: 'Costs rise', likelihood: 5, impact: 1, mitigation: null, owner: 'Director' },
      problems: [],
    });
  });

  it('names every field that is missing or out of the 1–5 scale', () => {
    expect(
      checkRisk({ description: '', likelihood: '0', impact: '2.5', owner: 'x'.repeat(201) }).problems.map(
        (p) => p.field,
      ),
    ).toEqual(['description', 'likelihood', 'impact', 'owner']);
    expect(checkRisk({ description: 'a', likelihood: 'high', impact: '6', owner: 'b' }).problems).toEqual([
      { field: 'likelihood', problem: 'Choose the likelihood, from 1 (very low) to 5 (very high)' },
      { field: 'impact', problem: 'Choose the impact, from 1 (very low) to 5 (very high)' },
    ]);
  });
});
