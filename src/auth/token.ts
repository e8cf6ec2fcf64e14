import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Personal API tokens: `gdt_<publicId>_<secret>`, the secret 32 random bytes in base64url. */
export const TOKEN_PREFIX = 'gdt';
export const DEFAULT_TOKEN_DAYS = 90;
export const MAX_TOKEN_DAYS = 366;

const PUBLIC_ID = /^[A-Za-z0-9]{16}$/;
const SECRET = /^[A-Za-z0-9_-]{43}$/;
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export interface NewToken {
  token: string;
  publicId: string;
  secretSha256: string;
}

/** 16 alphanumeric characters (no `_`, so the token splits unambiguously). */
export function newPublicId(): string {
  const bytes = randomBytes(16);
  // 256 % 62 != 0: reject bytes that would bias the alphabet.
  let out = '';
  let pool = bytes;
  let i = 0;
  while (out.length < 16) {
    if (i >= pool.length) {
      pool = randomBytes(16);
      i = 0;
    }
    const b = pool[i++];
    if (b < 248) out += ALNUM[b % 62];
  }
  return out;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function generateToken(): NewToken {
  const publicId = newPublicId();
  const secret = randomBytes(32).toString('base64url');
  return { token: `${TOKEN_PREFIX}_${publicId}_${secret}`, publicId, secretSha256: hashSecret(secret) };
}

/** Splits a presented token; undefined when it is not in our format. */
export function parseToken(token: string): { publicId: string; secret: string } | undefined {
  if (typeof token !== 'string' || token.length !== 4 + 16 + 1 + 43) return undefined;
  const [prefix, publicId, secret] = [token.slice(0, 3), token.slice(4, 20), token.slice(21)];
  if (prefix !== TOKEN_PREFIX || token[3] !== '_' || token[20] !== '_') return undefined;
  if (!PUBLIC_ID.test(publicId) || !SECRET.test(secret)) return undefined;
  return { publicId, secret };
}

/** Constant-time comparison of the presented secret's hash with the stored one. */
export function secretMatches(secret: string, storedSha256: string): boolean {
  const a = Buffer.from(hashSecret(secret), 'hex');
  const b = Buffer.from(storedSha256, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

export function expiryFrom(now: Date, days: number = DEFAULT_TOKEN_DAYS): string {
  if (!Number.isInteger(days) || days < 1 || days > MAX_TOKEN_DAYS)
    throw new RangeError(`days must be a whole number from 1 to ${MAX_TOKEN_DAYS}`);
  return new Date(now.getTime() + days * 86_400_000).toISOString();
}

/** Expired at or after the stored instant (ISO strings in UTC compare as instants). */
export function isExpired(expiresAt: string, now: Date): boolean {
  return now.getTime() >= Date.parse(expiresAt);
}

/** `Authorization: Bearer <token>` → the token, or undefined. */
export function bearerToken(header: unknown): string | undefined {
  if (typeof header !== 'string') return undefined;
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  return m ? m[1] : undefined;
}
