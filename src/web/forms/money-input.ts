import {
  displayPounds,
  formatPounds,
  MAX_AMOUNT,
  MAX_AMOUNT_PENCE,
  MoneyFormatError,
  parseLoosePounds,
} from '../../common/money';

export interface MoneyParse {
  pence?: number;
  /** The canonical API form ("1234.50"), for services that take pounds strings. */
  canonical?: string;
  /** How the page shows it back ("£1,234.50"). */
  shown?: string;
  error?: string;
  typed: string;
}

/**
 * A money box: accepts what people type ("£1,234.50", "1234.5", " 1,234 ") and normalises it;
 * refuses more than two decimal places, words, and (unless allowed) negative amounts, with a
 * message naming the field. Empty is no value unless required.
 */
export function parseMoneyInput(
  raw: unknown,
  label: string,
  opts: { required?: boolean; allowNegative?: boolean } = {},
): MoneyParse {
  const typed = typeof raw === 'string' ? raw : '';
  const cleaned = typed.trim().replace(/\s+/g, '');
  if (!cleaned) return opts.required ? { error: `Enter ${lowerFirst(label)}`, typed } : { typed };
  // "-£5" and "£-5" both mean minus five pounds.
  const neg = /^-£|^£-/.test(cleaned);
  const body = cleaned.replace(/^-£|^£-/, neg ? '-' : '').replace(/^£/, '');
  let pence: number;
  try {
    pence = parseLoosePounds(body);
  } catch (e) {
    if (!(e instanceof MoneyFormatError)) throw e;
    const tooPrecise = /more than two decimal places/.test(e.problem) || /^-?[\d,]*\.\d{3,}$/.test(body);
    // The API's limit on every amount, in the form's words.
    if (e.problem.includes(MAX_AMOUNT))
      return {
        error: `${label} must be at most ${displayPounds(MAX_AMOUNT_PENCE)} (either sign)`,
        typed,
      };
    return {
      error: tooPrecise
        ? `${label} must be pounds and pence, like £1,234.50 (no more than two decimal places)`
        : `${label} must be an amount of money, like £1,234.50`,
      typed,
    };
  }
  if (pence < 0 && !opts.allowNegative) return { error: `${label} must be £0.00 or more`, typed };
  return { pence, canonical: formatPounds(pence), shown: displayPounds(pence), typed };
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
