/**
 * Sign-in throttling, pure. Failures are counted per account and client address: the first
 * few are free, then each attempt must wait a rising delay (1 s, 2 s, 4 s ... at most 5 min),
 * and at LOCK_AFTER failures the account is locked for that address until an admin unlocks
 * it. Attempts refused for waiting are not counted. Emails that match no user are throttled
 * by address only and never lock.
 */
export const FREE_FAILURES = 3;
export const LOCK_AFTER = 10;
export const MAX_DELAY_SECONDS = 300;

export interface ThrottleState {
  failures: number;
  lastFailedAt: string;
  lockedAt: string | null;
}

export type ThrottleVerdict = { kind: 'try' } | { kind: 'wait'; seconds: number } | { kind: 'locked' };

export function delaySeconds(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(2 ** (failures - FREE_FAILURES), MAX_DELAY_SECONDS);
}

export function verdict(state: ThrottleState | null, now: Date): ThrottleVerdict {
  if (!state) return { kind: 'try' };
  if (state.lockedAt) return { kind: 'locked' };
  const until = Date.parse(state.lastFailedAt) + delaySeconds(state.failures) * 1000;
  const left = Math.ceil((until - now.getTime()) / 1000);
  return left > 0 ? { kind: 'wait', seconds: left } : { kind: 'try' };
}

/** The state after one more failure (a known account locks at LOCK_AFTER). */
export function afterFailure(state: ThrottleState | null, now: Date, knownAccount: boolean): ThrottleState {
  const failures = (state?.failures ?? 0) + 1;
  return {
    failures,
    lastFailedAt: now.toISOString(),
    lockedAt: knownAccount && failures >= LOCK_AFTER ? now.toISOString() : null,
  };
}
