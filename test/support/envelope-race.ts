type Res = { status: number; body: any };

/** The 2014 deal's live approved LGF allocation of Etruria, among an allocation list's items. */
export function etruriaLgf(
  items: { id: number; sourceKind: string; project: string | null; commitmentStatus: string; approvalState: string }[],
): number {
  return items.find(
    (a) =>
      a.sourceKind === 'LGF' &&
      a.project === 'ETRURIA' &&
      a.commitmentStatus !== 'withdrawn' &&
      a.approvalState === 'approved',
  )!.id;
}

/**
 * Two approvals that each fit the envelope alone, at the same moment, `rounds` times: the
 * LGF_PROVISIONAL envelope is raised by exactly one move (1,000.00), then two reallocations of
 * 1,000.00 from Etruria's LGF to a new provisional allocation are approved as a pair. The caller
 * says how requests are sent (`submit` drafts and submits, `approve`, `pair` sends two at once)
 * and checks the raise's answer (`raised`) and each pair's (`settled`).
 */
export async function envelopeRace<R extends Res>(
  rounds: number,
  io: {
    etruria: number;
    submit: (kind: string, payload: unknown) => Promise<number>;
    approve: (number: number) => Promise<R>;
    pair: (a: Promise<R>, b: Promise<R>) => Promise<readonly [R, R]>;
    raised: (r: R) => void;
    settled: (a: R, b: R) => void;
  },
): Promise<void> {
  const move = () =>
    io.submit('reallocation', {
      lines: [
        { allocationId: io.etruria, delta: '-1000.00' },
        {
          new: {
            sourceKind: 'LGF_PROVISIONAL',
            project: 'ETRURIA',
            period: '2016-17',
            commitmentStatus: 'provisional',
          },
          amount: '1000.00',
        },
      ],
    });
  for (let i = 0; i < rounds; i++) {
    const raise = await io.submit('envelope_change', { sourceKind: 'LGF_PROVISIONAL', delta: '1000.00' });
    io.raised(await io.approve(raise));
    const [x, y] = [await move(), await move()];
    const [a, b] = await io.pair(io.approve(x), io.approve(y));
    io.settled(a, b);
  }
}
