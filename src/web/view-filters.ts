import nunjucks from 'nunjucks';
import { displayPounds, parsePounds } from '../common/money';

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** "2015-04-01" → "1 April 2015" (calendar dates, no time zone). */
export function longDate(iso: string | null | undefined): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso ?? '');
  if (!m) return '';
  return `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]}`;
}

/** An ISO timestamp as a person reads it, in UTC: "1 April 2015 at 09:05". */
export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  return `${longDate(iso)} at ${iso.slice(11, 16)}`;
}

/** Integer pence or a canonical pound string → "£1,234.50" (negative as "-£5.00"). */
export function poundsText(value: number | string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  return displayPounds(typeof value === 'number' ? value : parsePounds(value));
}

export const ROLE_LABELS: Record<string, string> = {
  admin: 'Administrator',
  programme_manager: 'Programme manager',
  delivery_partner: 'Delivery partner',
  finance: 'Finance',
  approver: 'Approver',
  viewer: 'Viewer',
};

export function addFilters(env: nunjucks.Environment): void {
  env.addFilter('longDate', longDate);
  env.addFilter('dateTime', dateTime);
  env.addFilter('pounds', poundsText);
  env.addFilter('roleLabel', (r: string) => ROLE_LABELS[r] ?? r);
}
