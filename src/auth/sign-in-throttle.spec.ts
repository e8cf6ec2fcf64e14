import { afterFailure, delaySeconds, FREE_FAILURES, LOCK_AFTER, verdict } from './sign-in-throttle';

describe('sign-in throttle', () => {
  const t0 = new Date('2026-01-01T10:00:00.000Z');
  const at = (s: number) => new Date(t0.getTime() + s * 1000);

  it('lets the first failures through, then asks for rising waits', () => {
    expect([0, 1, 2, 3, 4, 5, 9, 20].map(delaySeconds)).toEqual([0, 0, 0, 1, 2, 4, 64, 300]);
    let s = null;
    for (let i = 0; i < FREE_FAILURES; i++) s = afterFailure(s, t0, true);
    expect(s).toEqual({ failures: 3, lastFailedAt: t0.toISOString(), lockedAt: null });
    expect(verdict(s, t0)).toEqual({ kind: 'wait', seconds: 1 });
    expect(verdict(s, at(1))).toEqual({ kind: 'try' });
    s = afterFailure(s, at(1), true);
    expect(verdict(s, at(1.5))).toEqual({ kind: 'wait', seconds: 2 });
    expect(verdict(s, at(3))).toEqual({ kind: 'try' });
  });

  it('locks a known account at the limit, never an unknown email', () => {
    let known = null;
    let unknown = null;
    for (let i = 0; i < LOCK_AFTER; i++) {
      known = afterFailure(known, t0, true);
      unknown = afterFailure(unknown, t0, false);
    }
    expect(known!.lockedAt).toBe(t0.toISOString());
    expect(verdict(known, at(10_000))).toEqual({ kind: 'locked' });
    expect(unknown!.lockedAt).toBeNull();
    expect(verdict(unknown, at(10_000))).toEqual({ kind: 'try' });
  });
});
