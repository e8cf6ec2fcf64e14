import { AppConfig } from '../config/config';
import { AuthThrottle, delayAfter, failureKey } from './auth-throttle';

describe('AuthThrottle', () => {
  const rules = { free: 3, baseDelayMs: 1000, maxDelayMs: 15 * 60_000, forgetAfterMs: 15 * 60_000 };

  it('allows the free failures, then delays rise 1 s, 2 s, 4 s ... up to 15 minutes', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 13, 14, 40].map((n) => delayAfter(n, rules))).toEqual([
      0, 0, 0, 1000, 2000, 4000, 8000, 512_000, 900_000, 900_000,
    ]);
  });

  it('keys a failure by its known subject, else by the address', () => {
    expect(failureKey('token:abc', '10.0.0.1')).toBe('subject:token:abc');
    expect(failureKey(undefined, '10.0.0.1')).toBe('address:10.0.0.1');
  });

  it('answers 429 with the wait while locked, forgets after a quiet spell, and a success clears', () => {
    const t = new AuthThrottle({ AUTH_FAILURE_LIMIT: 3 } as AppConfig);
    const at = 1_000_000;
    for (let i = 0; i < 3; i++) expect(() => t.failed('k', at + i)).not.toThrow();
    expect(() => t.failed('k', at + 3)).toThrow(expect.objectContaining({ status: 429, retryAfterMs: 1000 }));
    // Attempts during the lock are refused without raising the delay.
    expect(() => t.failed('k', at + 500)).toThrow(expect.objectContaining({ retryAfterMs: 503 }));
    expect(() => t.failed('k', at + 1003)).toThrow(expect.objectContaining({ retryAfterMs: 2000 }));
    // Other keys are independent.
    expect(() => t.failed('other', at + 1004)).not.toThrow();
    // Fifteen quiet minutes after the lock ended: from zero again.
    expect(() => t.failed('k', at + 3003 + 15 * 60_000 + 1)).not.toThrow();
    t.succeeded('k');
    for (let i = 0; i < 3; i++) expect(() => t.failed('k', at + 2_000_000 + i)).not.toThrow();
  });
});
