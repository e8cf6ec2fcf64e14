import { cumulativeSlip } from './typing-checks';

describe('cumulativeSlip', () => {
  // £1,000,000 spent before the quarter, £200,000 forecast for it.
  const before = 100_000_000;
  const forecast = 20_000_000;

  it('warns when the value less spend to date is within ±20 % of the forecast, both edges included', () => {
    expect(cumulativeSlip(120_000_000, before, forecast)).toEqual({ asQuarter: 120_000_000, asCumulative: 20_000_000 });
    expect(cumulativeSlip(116_000_000, before, forecast)).toEqual({ asQuarter: 116_000_000, asCumulative: 16_000_000 });
    expect(cumulativeSlip(124_000_000, before, forecast)).toEqual({ asQuarter: 124_000_000, asCumulative: 24_000_000 });
  });

  it('stays quiet just outside the band, for an ordinary quarter figure, and with nothing spent before', () => {
    expect(cumulativeSlip(115_999_999, before, forecast)).toBeNull();
    expect(cumulativeSlip(124_000_001, before, forecast)).toBeNull();
    expect(cumulativeSlip(19_500_000, before, forecast)).toBeNull();
    expect(cumulativeSlip(20_000_000, 0, forecast)).toBeNull();
    expect(cumulativeSlip(120_000_000, before, 0)).toBeNull();
  });
});
