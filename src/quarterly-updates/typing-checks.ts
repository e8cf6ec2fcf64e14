/**
 * Typing mistakes people make in a quarterly update, as pure functions (pence only).
 *
 * A cumulative figure typed where the quarter's figure belongs: when the value minus the
 * spend to date before this quarter lies within ±20 % of the quarter's forecast, the value
 * reads as well as a total to date as it does as the quarter's spend. Both readings are
 * offered; nothing is changed without the person choosing.
 */
export interface CumulativeReading {
  /** The value read as the quarter's own spend. */
  asQuarter: number;
  /** The value read as a total to date: the quarter's spend would be this. */
  asCumulative: number;
}

export function cumulativeSlip(
  valuePence: number,
  previousCumulativePence: number,
  quarterForecastPence: number,
): CumulativeReading | null {
  // With nothing spent before, both readings are the same number: nothing to ask.
  if (previousCumulativePence <= 0 || quarterForecastPence <= 0) return null;
  const asCumulative = valuePence - previousCumulativePence;
  if (asCumulative < 0) return null;
  // |asCumulative − forecast| ≤ 20 % of forecast, in integers: 5·|d| ≤ forecast.
  if (5 * Math.abs(asCumulative - quarterForecastPence) > quarterForecastPence) return null;
  return { asQuarter: valuePence, asCumulative };
}
