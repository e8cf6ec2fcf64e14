import {
  financeRag,
  movedToLaterYears,
  overspendRag,
  riskToSpendRag,
  slippageRag,
  thresholdsOf,
  type SlippageFigures,
} from './rag';

// Every expected value below is worked by hand from DESIGN.md "Default RAG rules".

describe('overspend: forecast outturn against the total approved allocation, per source (> 100 % red)', () => {
  const one = (outturnPence: number, allocationPence = 100_000_000) =>
    overspendRag([{ sourceKind: 'LGF', allocationPence, outturnPence }]);
  it.each([
    [100_000_000, 'green'], // exactly the allocation: £1,000,000 of £1,000,000
    [100_000_001, 'red'], // a penny over
    [60_000_000, 'green'], // well under: underspend is not overspend
  ])('outturn %i pence of £1,000,000 → %s', (o, rag) => {
    expect(one(o).rag).toBe(rag);
  });

  it('names the source, the outturn and the allocation', () => {
    expect(one(105_000_000).explanation).toBe(
      'LGF forecast outturn £1050000.00 is 105.0% of the total approved allocation £1000000.00: overspend',
    );
    expect(one(99_000_000).explanation).toBe(
      'forecast outturn £990000.00 is within the total approved allocation £1000000.00',
    );
  });

  it('is judged per source: one source over is overspend even when the project total is within', () => {
    const r = overspendRag([
      { sourceKind: 'LGF', allocationPence: 400_000_000, outturnPence: 300_000_000 },
      { sourceKind: 'LOCAL_MATCH', allocationPence: 100_000_000, outturnPence: 120_000_000 },
    ]);
    expect(r.rag).toBe('red');
    expect(r.explanation).toBe(
      'LOCAL_MATCH forecast outturn £1200000.00 is 120.0% of the total approved allocation £1000000.00: overspend',
    );
  });

  it('spend on a source with no allocation is overspend; nothing at all is not judged', () => {
    expect(overspendRag([{ sourceKind: 'LGF', allocationPence: 0, outturnPence: 5 }]).explanation).toBe(
      'LGF forecast outturn £0.05 against no approved allocation: overspend',
    );
    expect(overspendRag([{ sourceKind: 'LGF', allocationPence: 0, outturnPence: 0 }]).rag).toBe('none');
    // An allocation with nothing forecast yet is not a fake green.
    expect(overspendRag([{ sourceKind: 'LGF', allocationPence: 100, outturnPence: 0 }]).rag).toBe('none');
    expect(overspendRag([]).rag).toBe('none');
  });
});

describe('risk to spend: the year forecast against the year allocation or baseline (95 / 85 %; above 100 % a note)', () => {
  const risk = (forecastPence: number, basisPence = 100_000) =>
    riskToSpendRag({ year: '2017-18', forecastPence, basisPence, basis: 'baseline' });
  it.each([
    [162_000, 'green'], // 162 %: ahead of profile, never "overspend"
    [100_001, 'green'],
    [100_000, 'green'],
    [95_000, 'green'], // exactly 95 %
    [94_999, 'amber'],
    [85_000, 'amber'], // exactly 85 %
    [84_999, 'red'],
    [0, 'red'],
  ])('forecast %i pence of 100,000 → %s', (f, rag) => {
    expect(risk(f).rag).toBe(rag);
  });

  it('the issue\'s "162 % of the 2017-18 baseline: overspend" is now ahead of profile, a note', () => {
    expect(risk(162_000).explanation).toBe(
      'forecast £1620.00 is 162.0% of the baseline profile £1000.00 for 2017-18: ahead of profile (a note, not a risk; the total is judged by the overspend line)',
    );
  });

  it('the issue\'s "£275,900 forecast for 2017-18 against no baseline: overspend" is now ahead of profile', () => {
    const r = risk(27_590_000, 0);
    expect(r.rag).toBe('green');
    expect(r.explanation).toBe(
      'ahead of profile: £275900.00 is forecast for 2017-18, which has no baseline profile (spend brought forward; the total is judged by the overspend line)',
    );
  });

  it('names the underspend risk with the numbers', () => {
    expect(risk(84_999).explanation).toBe(
      'forecast £849.99 is 84.9% of the baseline profile £1000.00 for 2017-18: below 85% (underspend risk)',
    );
    expect(risk(0, 0).rag).toBe('none');
  });
});

describe('slippage: money moved from the reporting year to later years since the last submitted return', () => {
  const s = (lastYear: number, lastLater: number, nowYear: number, nowLater: number): SlippageFigures => ({
    lastQuarter: '2017-18 Q2',
    lastYearPence: lastYear,
    lastLaterPence: lastLater,
    nowYearPence: nowYear,
    nowLaterPence: nowLater,
  });
  it.each([
    // year 1,000 → 700 and later 500 → 800: 300 moved
    [s(1000, 500, 700, 800), 300],
    // year fell by 300 but later did not rise: lost, not moved (risk to spend judges it)
    [s(1000, 500, 700, 500), 0],
    // brought forward: not slippage
    [s(1000, 500, 1200, 300), 0],
    // year fell 100, later rose 500 (new money later): 100 moved
    [s(1000, 500, 900, 1000), 100],
  ])('%o → %i moved', (fig, moved) => {
    expect(movedToLaterYears(fig)).toBe(moved);
  });

  const slip = (moved: number, basis = 1000) =>
    slippageRag({ year: '2017-18', basisPence: basis, basis: 'allocation', slippage: s(1000, 0, 1000 - moved, moved) });
  it.each([
    [0, 'green'],
    [100, 'green'], // exactly 10 %
    [101, 'amber'],
    [250, 'amber'], // exactly 25 %
    [251, 'red'],
  ])('%i pence moved of a 1,000 pence year allocation → %s', (moved, rag) => {
    expect(slip(moved).rag).toBe(rag);
  });

  it('explains the amount, the share and the return compared with', () => {
    expect(slip(300).explanation).toBe(
      '£3.00 moved from 2017-18 to later years since the 2017-18 Q2 return, 30.0% of the approved allocation £10.00: more than 25% (slippage)',
    );
    expect(slip(300).numbers).toMatchObject({ moved: '3.00', share: '30.0%', lastReturn: '2017-18 Q2' });
  });

  it('no submitted return: not judged, with the reason', () => {
    expect(
      slippageRag({ year: '2015-16', basisPence: 1000, basis: 'allocation', slippage: { reason: 'no return yet' } }),
    ).toMatchObject({ rag: 'none', explanation: 'no return yet' });
  });

  it('uses per-programme thresholds', () => {
    const t = thresholdsOf({ slippageAmberAbove: 5 });
    expect(
      slippageRag({ year: '2017-18', basisPence: 1000, basis: 'allocation', slippage: s(1000, 0, 940, 60) }, t).rag,
    ).toBe('amber');
  });
});

describe('finance RAG: the worst of the three, each kept with its reason', () => {
  it('slipped spend is amber slippage and green on overspend, never "overspend"', () => {
    // Allocation £1,000 for the year and in total; £300 moved from 2017-18 to 2018-19.
    const r = financeRag({
      year: '2017-18',
      lines: [{ sourceKind: 'LGF', allocationPence: 100_000, outturnPence: 100_000 }],
      yearForecastPence: 70_000,
      yearBasisPence: 100_000,
      basis: 'allocation',
      slippage: {
        lastQuarter: '2017-18 Q2',
        lastYearPence: 100_000,
        lastLaterPence: 0,
        nowYearPence: 70_000,
        nowLaterPence: 30_000,
      },
    });
    expect(r.parts.overspend.rag).toBe('green');
    expect(r.parts.riskToSpend.rag).toBe('red'); // 70 % of the year's allocation
    expect(r.parts.slippage.rag).toBe('red'); // 30 % moved
    expect(r.rag).toBe('red');
    expect(r.explanation).toBe(
      'risk to spend: forecast £700.00 is 70.0% of the approved allocation £1000.00 for 2017-18: below 85% (underspend risk); ' +
        'slippage: £300.00 moved from 2017-18 to later years since the 2017-18 Q2 return, 30.0% of the approved allocation £1000.00: more than 25% (slippage)',
    );
    expect(r.explanation).not.toContain('overspend:');
  });

  it('everything on profile is green', () => {
    const r = financeRag({
      year: '2016-17',
      lines: [{ sourceKind: 'LGF', allocationPence: 500, outturnPence: 500 }],
      yearForecastPence: 200,
      yearBasisPence: 200,
      basis: 'baseline',
      slippage: { reason: 'no return before 2016-17 Q1 has been submitted' },
    });
    expect(r.rag).toBe('green');
    expect(r.numbers).toEqual({ overspend: 'green', riskToSpend: 'green', slippage: 'none' });
  });
});
