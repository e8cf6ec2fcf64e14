import {
  agreedVsNow,
  agreedWords,
  changeRequestWords,
  combineAgreed,
  signedMillions,
  type AllocationState,
} from './agreed';

const M = 100_000_000; // £1m in pence
const at = (projectId: number | null, sourceKind: string, amountPence: number, commitmentStatus = 'confirmed') =>
  ({ projectId, poolId: null, sourceKind, amountPence, commitmentStatus }) as AllocationState;

const CR1 = { number: 1, title: 'Virement Meaford to Lichfield', illustrative: true };
const CR2 = { number: 2, title: 'Lichfield to a new project', illustrative: false };
const CR3 = { number: 3, title: 'Withdraw Bericote after spending £0.3m', illustrative: false };

describe('agreed vs now (worked by hand)', () => {
  // The deal as agreed: Meaford LGF £4.2m (project 3), Lichfield LGF £4.0m (project 2), Bericote
  // LGF £1.0m (project 4), Etruria LGF £2.4m (project 1, never touched).
  // CR1 (illustrative) moves £0.2m Meaford -> Lichfield. CR2 moves £0.5m Lichfield -> a new
  // allocation of project 9 and £0.1m back again in the same request's second line (net £0.4m).
  // CR3 cuts Bericote to its £0.3m spent and withdraws it.
  const writes = [
    { changeRequest: 1, before: at(3, 'LGF', 4.2 * M), after: at(3, 'LGF', 4.0 * M) },
    { changeRequest: 1, before: at(2, 'LGF', 4.0 * M), after: at(2, 'LGF', 4.2 * M) },
    { changeRequest: 2, before: at(2, 'LGF', 4.2 * M), after: at(2, 'LGF', 3.7 * M) },
    { changeRequest: 2, before: null, after: at(9, 'LGF', 0.5 * M) },
    { changeRequest: 2, before: at(9, 'LGF', 0.5 * M), after: at(9, 'LGF', 0.4 * M) },
    { changeRequest: 2, before: at(2, 'LGF', 3.7 * M), after: at(2, 'LGF', 3.8 * M) },
    { changeRequest: 3, before: at(4, 'LGF', 1.0 * M), after: at(4, 'LGF', 0.3 * M) },
    { changeRequest: 3, before: at(4, 'LGF', 0.3 * M), after: at(4, 'LGF', 0.3 * M, 'withdrawn') },
    // A rejected or unknown request's writes are not counted.
    { changeRequest: 7, before: at(1, 'LGF', 2.4 * M), after: at(1, 'LGF', 9 * M) },
  ];
  const current = [
    { projectId: 1, poolId: null, sourceKind: 'LGF', pence: 2.4 * M, illustrative: false },
    { projectId: 2, poolId: null, sourceKind: 'LGF', pence: 3.8 * M, illustrative: false },
    { projectId: 3, poolId: null, sourceKind: 'LGF', pence: 4.0 * M, illustrative: false },
    { projectId: 9, poolId: null, sourceKind: 'LGF', pence: 0.4 * M, illustrative: false },
    { projectId: 5, poolId: null, sourceKind: 'LOCAL_MATCH', pence: 1.9 * M, illustrative: true },
  ];
  const lines = agreedVsNow(current, writes, [CR1, CR2, CR3]);
  const by = (projectId: number) => lines.find((l) => l.projectId === projectId)!;

  it('keeps an untouched line as agreed', () => {
    expect(by(1)).toMatchObject({ agreedPence: 2.4 * M, nowPence: 2.4 * M, deltaPence: 0, changed: false });
    expect(agreedWords(by(1))).toBe('agreed £2.4m · unchanged');
    // Illustrative data with no change is still marked.
    expect(agreedWords(by(5))).toBe('agreed £1.9m · unchanged (illustrative)');
  });

  it('a virement: each side agreed, now, the delta and the request that made it', () => {
    expect(by(3)).toMatchObject({ agreedPence: 4.2 * M, nowPence: 4.0 * M, deltaPence: -0.2 * M, illustrative: true });
    expect(by(3).changes).toEqual([{ number: 1, title: CR1.title, illustrative: true, deltaPence: -0.2 * M }]);
    expect(agreedWords(by(3))).toBe('agreed £4.2m · now £4.0m (−£0.2m, change request 1) (illustrative)');
  });

  it('two requests on one line: per-request deltas (a request nets its own lines)', () => {
    // Lichfield: agreed 4.0; CR1 +0.2; CR2 -0.5 +0.1 = -0.4; now 3.8.
    expect(by(2)).toMatchObject({ agreedPence: 4.0 * M, nowPence: 3.8 * M, deltaPence: -0.2 * M });
    expect(by(2).changes.map((c) => [c.number, c.deltaPence])).toEqual([
      [1, 0.2 * M],
      [2, -0.4 * M],
    ]);
    expect(agreedWords(by(2))).toBe('agreed £4.0m · now £3.8m (−£0.2m, change requests 1 and 2) (illustrative)');
  });

  it('money a change created was not agreed; a withdrawn line now holds nothing', () => {
    expect(by(9)).toMatchObject({ agreedPence: 0, nowPence: 0.4 * M, deltaPence: 0.4 * M, illustrative: false });
    expect(agreedWords(by(9))).toBe('agreed £0.0m · now £0.4m (+£0.4m, change request 2)');
    expect(by(4)).toMatchObject({ agreedPence: 1.0 * M, nowPence: 0, deltaPence: -1.0 * M });
    expect(by(4).changes.map((c) => c.number)).toEqual([3]);
  });

  it('agreed + every delta = now, line by line, and the LGF agreed is the deal’s £11.6m', () => {
    for (const l of lines) expect(Number(l.agreedPence) + Number(l.deltaPence)).toBe(Number(l.nowPence));
    const lgf = lines.filter((l) => l.sourceKind === 'LGF');
    expect(lgf.reduce((s, l) => s + Number(l.agreedPence), 0)).toBe(11.6 * M);
    // LGF now is 0.7m lower: Bericote's withdrawal released it.
    expect(lgf.reduce((s, l) => s + Number(l.nowPence), 0)).toBe(10.6 * M);
  });

  it('a move of source kind leaves one line and enters another', () => {
    const [from, to] = agreedVsNow(
      [{ projectId: 1, poolId: null, sourceKind: 'LOCAL_MATCH', pence: 5, illustrative: false }],
      [{ changeRequest: 2, before: at(1, 'LGF', 5), after: at(1, 'LOCAL_MATCH', 5) }],
      [CR2],
    );
    expect([from.sourceKind, from.agreedPence, from.nowPence]).toEqual(['LGF', 5, 0]);
    expect([to.sourceKind, to.agreedPence, to.nowPence]).toEqual(['LOCAL_MATCH', 0, 5]);
  });

  it('exact past 2^53 pence', () => {
    const big = 2n ** 53n + 1n;
    const [l] = agreedVsNow(
      [{ projectId: 1, poolId: null, sourceKind: 'LGF', pence: big + 2n, illustrative: false }],
      [{ changeRequest: 2, before: at(1, 'LGF', 7), after: at(1, 'LGF', 9) }],
      [CR2],
    );
    expect(l.agreedPence).toBe(big);
  });

  it('small changes: enough places to tell agreed from now, the change in exact pounds', () => {
    const [l] = agreedVsNow(
      [{ projectId: 4, poolId: null, sourceKind: 'LGF', pence: 98_000_000, illustrative: false }],
      [{ changeRequest: 2, before: at(4, 'LGF', 1.0 * M), after: at(4, 'LGF', 98_000_000) }],
      [CR2],
    );
    expect(agreedWords(l)).toBe('agreed £1.00m · now £0.98m (−£20,000.00, change request 2)');
    const [p] = agreedVsNow(
      [{ projectId: 4, poolId: null, sourceKind: 'LGF', pence: 100_000_001, illustrative: false }],
      [{ changeRequest: 2, before: at(4, 'LGF', 1.0 * M), after: at(4, 'LGF', 100_000_001) }],
      [CR2],
    );
    expect(agreedWords(p)).toBe('agreed £1,000,000.00 · now £1,000,000.01 (+£0.01, change request 2)');
  });

  it('lines read as one: sums, each request netted across them, illustrative where any is', () => {
    const none = { projectId: null, poolId: null, sourceKind: '' };
    // Lichfield (agreed 4.0, CR1 +0.2, CR2 -0.4) with Meaford (agreed 4.2, CR1 -0.2): CR1 nets out.
    const both = combineAgreed([by(2), by(3)], none);
    expect(both).toMatchObject({
      agreedPence: 820_000_000,
      nowPence: 780_000_000,
      deltaPence: -0.4 * M,
      changed: true,
    });
    expect(both.changes.map((c) => [c.number, c.deltaPence])).toEqual([[2, -0.4 * M]]);
    // CR1 moved money within the two lines, and it is illustrative: the pair still says so.
    expect(both.illustrative).toBe(true);
    expect(agreedWords(both)).toBe('agreed £8.2m · now £7.8m (−£0.4m, change request 2) (illustrative)');
    // Meaford alone with an untouched line: the change is Meaford's.
    expect(agreedWords(combineAgreed([by(3), by(1)], none))).toBe(
      'agreed £6.6m · now £6.4m (−£0.2m, change request 1) (illustrative)',
    );
    expect(agreedWords(combineAgreed([by(1)], none))).toBe('agreed £2.4m · unchanged');
    expect(combineAgreed([], none)).toMatchObject({ agreedPence: 0, nowPence: 0, changed: false, illustrative: false });
  });

  it('words', () => {
    expect(signedMillions(20_000_000)).toBe('+£0.2m');
    expect(signedMillions(-20_000_000)).toBe('−£0.2m');
    expect(signedMillions(-2_000_000)).toBe('−£20,000.00');
    expect(changeRequestWords([1])).toBe('change request 1');
    expect(changeRequestWords([1, 3, 4])).toBe('change requests 1, 3 and 4');
  });
});
