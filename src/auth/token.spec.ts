import fc from 'fast-check';
import {
  bearerToken,
  DEFAULT_TOKEN_DAYS,
  expiryFrom,
  generateToken,
  hashSecret,
  isExpired,
  parseToken,
  secretMatches,
} from './token';

describe('API tokens', () => {
  it('have the gdt_<16 alphanumerics>_<43 base64url> format, a 256-bit secret, and parse back', () => {
    const t = generateToken();
    expect(t.token).toMatch(/^gdt_[A-Za-z0-9]{16}_[A-Za-z0-9_-]{43}$/);
    const parsed = parseToken(t.token)!;
    expect(parsed.publicId).toBe(t.publicId);
    expect(Buffer.from(parsed.secret, 'base64url')).toHaveLength(32);
    expect(t.secretSha256).toBe(hashSecret(parsed.secret));
    expect(t.secretSha256).toMatch(/^[0-9a-f]{64}$/);
    // The stored hash is not the secret and does not contain it.
    expect(t.token).not.toContain(t.secretSha256);
  });

  it('never repeat (1,000 drawn)', () => {
    const ids = new Set<string>();
    const secrets = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const t = generateToken();
      ids.add(t.publicId);
      secrets.add(t.secretSha256);
    }
    expect(ids.size).toBe(1000);
    expect(secrets.size).toBe(1000);
  });

  it('hash with SHA-256 (known vector)', () => {
    expect(hashSecret('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('match only their own secret', () => {
    const t = generateToken();
    const { secret } = parseToken(t.token)!;
    expect(secretMatches(secret, t.secretSha256)).toBe(true);
    const flipped = (secret[0] === 'A' ? 'B' : 'A') + secret.slice(1);
    expect(secretMatches(flipped, t.secretSha256)).toBe(false);
    expect(secretMatches(secret, 'not-hex')).toBe(false);
  });

  it('refuse anything not in the format', () => {
    const t = generateToken().token;
    for (const bad of [
      '',
      'gdt_',
      t.slice(1),
      `x${t.slice(1)}`,
      t.replace('gdt_', 'gdt-'),
      `${t}=`,
      t.slice(0, -1),
      t.replace(/_([^_]*)$/, '.$1'),
    ]) {
      expect(parseToken(bad)).toBeUndefined();
    }
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (s) => {
        const p = parseToken(s);
        if (p) expect(`gdt_${p.publicId}_${p.secret}`).toBe(s);
      }),
      { numRuns: 300 },
    );
  });

  it('expire after 90 days by default, at the exact instant', () => {
    const now = new Date('2025-01-01T12:00:00.000Z');
    const exp = expiryFrom(now);
    expect(DEFAULT_TOKEN_DAYS).toBe(90);
    expect(exp).toBe('2025-04-01T12:00:00.000Z');
    expect(isExpired(exp, new Date('2025-04-01T11:59:59.999Z'))).toBe(false);
    expect(isExpired(exp, new Date('2025-04-01T12:00:00.000Z'))).toBe(true);
    expect(expiryFrom(now, 1)).toBe('2025-01-02T12:00:00.000Z');
    expect(() => expiryFrom(now, 0)).toThrow(RangeError);
    expect(() => expiryFrom(now, 1.5)).toThrow(RangeError);
    expect(() => expiryFrom(now, 367)).toThrow(RangeError);
  });

  it('are read from a Bearer header only', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer abc')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
    expect(bearerToken(['Bearer abc'])).toBeUndefined();
  });
});
