import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/errors';
import { AppConfig } from '../config/config';

/**
 * Throttling of failed sign-ins (API tokens here; the staff app's passwords follow the same rule).
 *
 * The rule: a failure counts against the credential's own subject when it names one that exists
 * (a token's public id, a user's email), and against the client's address only when it names
 * nothing we know. After `free` failures of one key, each further failure locks that key for a
 * rising delay (1 s, 2 s, 4 s ... up to 15 minutes); while locked, failures of that key are
 * answered 429 instead of 401.
 *
 * Callers check the credential FIRST and consult this only when it failed, so a valid
 * credential is never refused because of anyone's failures (its owner's address may be shared
 * with an attacker behind one proxy, and an attacker may know a token's public id).
 */
export interface ThrottleRules {
  /** Failures of one key allowed before delays start. */
  free: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A key with no failure for this long starts again from zero. */
  forgetAfterMs: number;
}

interface Entry {
  failures: number;
  lockedUntil: number;
  last: number;
}

/** Keys that could grow without bound are pruned past this many (oldest activity first). */
const MAX_KEYS = 100_000;

export class TooManyFailuresError extends DomainError {
  constructor(readonly retryAfterMs: number) {
    super(
      'THROTTLED',
      `too many failed sign-in attempts with this credential: wait ${Math.ceil(retryAfterMs / 1000)} s`,
      429,
      { retryAfterSeconds: Math.ceil(retryAfterMs / 1000) },
    );
  }
}

/** The throttling key of a failure: the known subject, else the address. */
export function failureKey(knownSubject: string | undefined, address: string | undefined): string {
  return knownSubject ? `subject:${knownSubject}` : `address:${address ?? 'unknown'}`;
}

/** The delay imposed by a key's n-th failure (n counted from 1): none while n <= free, then doubling. */
export function delayAfter(n: number, rules: ThrottleRules): number {
  if (n <= rules.free) return 0;
  return Math.min(rules.maxDelayMs, rules.baseDelayMs * 2 ** Math.min(n - rules.free - 1, 30));
}

@Injectable()
export class AuthThrottle {
  private readonly entries = new Map<string, Entry>();
  readonly rules: ThrottleRules;

  constructor(config: AppConfig) {
    this.rules = {
      free: config.AUTH_FAILURE_LIMIT,
      baseDelayMs: 1000,
      maxDelayMs: 15 * 60_000,
      forgetAfterMs: 15 * 60_000,
    };
  }

  /**
   * Records one failure of `key` and throws 429 (TooManyFailuresError) when the key is locked
   * (by earlier failures, or from this one on); returns when the caller should answer 401.
   */
  failed(key: string, now = Date.now()): void {
    let e = this.entries.get(key);
    if (e && now - Math.max(e.last, e.lockedUntil) > this.rules.forgetAfterMs) e = undefined;
    // Attempts during a lock are refused without counting, so waiting out the lock is enough.
    if (e && e.lockedUntil > now) throw new TooManyFailuresError(e.lockedUntil - now);
    e = { failures: (e?.failures ?? 0) + 1, lockedUntil: 0, last: now };
    const delay = delayAfter(e.failures, this.rules);
    if (delay) e.lockedUntil = now + delay;
    this.entries.delete(key);
    this.entries.set(key, e);
    if (this.entries.size > MAX_KEYS) this.prune(now);
    if (delay) throw new TooManyFailuresError(delay);
  }

  /** A successful sign-in of a known subject clears its failures. */
  succeeded(key: string): void {
    this.entries.delete(key);
  }

  private prune(now: number): void {
    for (const [k, e] of this.entries) {
      if (this.entries.size <= MAX_KEYS * 0.9) break;
      // Map order is insertion order and failed() re-inserts: the first entries are the stalest.
      if (e.lockedUntil <= now) this.entries.delete(k);
    }
  }
}
