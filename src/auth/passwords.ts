import * as argon2 from 'argon2';
import { FieldProblem } from '../common/errors';
import { COMMON_PASSWORDS } from './common-passwords';

/**
 * Password rules after the NCSC's guidance: a minimum length, a deny-list of common and
 * guessable passwords, no composition rules (no "one digit, one symbol") and no expiry.
 */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

/** argon2id with the library's defaults (64 MiB, 3 passes), about 0.1 s here. */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;
/** Verifies against a throwaway hash, so an unknown email takes as long as a wrong password. */
export async function spendVerifyTime(password: string): Promise<void> {
  dummy ??= hashPassword('not a real password, only spends time');
  await verifyPassword(await dummy, password);
}

/** Problems with a proposed password (empty when it is acceptable). Names the field `password`. */
export function passwordProblems(password: string, about: { email?: string; name?: string } = {}): FieldProblem[] {
  const field = 'password';
  if (typeof password !== 'string' || password.length === 0) return [{ field, problem: 'Enter a password' }];
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH)
    return [
      {
        field,
        problem: `Password must be ${MIN_PASSWORD_LENGTH} characters or more (three random words work well)`,
      },
    ];
  if (length > MAX_PASSWORD_LENGTH)
    return [{ field, problem: `Password must be ${MAX_PASSWORD_LENGTH} characters or fewer` }];
  const folded = password.toLowerCase().replace(/\s+/g, '');
  const personal = [about.email?.toLowerCase(), about.email?.split('@')[0]?.toLowerCase(), about.name?.toLowerCase()]
    .filter((w): w is string => !!w && w.length >= 4)
    .map((w) => w.replace(/\s+/g, ''));
  if (
    COMMON_PASSWORDS.has(folded) ||
    COMMON_PASSWORDS.has(folded.replace(/[\d!.?]+$/, '')) ||
    /^(.)\1+$/.test(folded) ||
    isSequence(folded) ||
    personal.some((w) => folded.includes(w)) ||
    /growth ?deal|staffordshire|stoke/.test(password.toLowerCase())
  )
    return [{ field, problem: 'Password is too easy to guess: choose one that is not common or about you' }];
  return [];
}

/** "123456789012", "abcdefghijkl" and their reverses. */
function isSequence(s: string): boolean {
  if (s.length < 4) return false;
  const step = s.charCodeAt(1) - s.charCodeAt(0);
  if (Math.abs(step) !== 1) return false;
  for (let i = 2; i < s.length; i++) if (s.charCodeAt(i) - s.charCodeAt(i - 1) !== step) return false;
  return true;
}
