import { isDateString } from '../common/fiscal';

/**
 * What each assumption key may hold. Assumptions are published as they are in the 360Giving
 * file, so a value that is not of its key's kind (an award date of "NaN", an identifier with
 * spaces) would publish invalid open data; it is refused when set instead.
 */
const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,199}$/;

const RULES: { key: RegExp; problem: (v: string) => string | null }[] = [
  {
    key: /^awardDate$/,
    problem: (v) => (isDateString(v) ? null : 'must be a calendar date YYYY-MM-DD, e.g. "2014-07-07"'),
  },
  {
    key: /^grantIdPrefix$/,
    problem: (v) => (/^360G-[A-Za-z0-9-]{1,60}$/.test(v) ? null : 'must be a 360Giving prefix such as "360G-SSLEP"'),
  },
  {
    key: /^(funder\.[^.]+\.id|org\.[^.]+\.id|recipient\..+|accountableBody|beneficiary\.geoCode)$/,
    problem: (v) =>
      IDENTIFIER.test(v) ? null : 'must be an identifier (letters, digits, ".", "_", ":", "/", "-"; no spaces)',
  },
  {
    key: /^beneficiary\.geoCodeType$/,
    problem: (v) => (/^[A-Z]{2,10}$/.test(v) ? null : 'must be a geoCodeType code such as "LEP"'),
  },
];

/** Why `value` cannot be the assumption `key` (null when it can). Any value must hold some visible text. */
export function assumptionValueProblem(key: string, value: string): string | null {
  if (!value.trim()) return 'must not be blank';
  for (const r of RULES) if (r.key.test(key)) return r.problem(value);
  return null;
}
