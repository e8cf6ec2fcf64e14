import nunjucks from 'nunjucks';
import { longDate as calendarDate } from '../common/fiscal';
import { displayPounds, parsePounds } from '../common/money';
import { taskListItems } from './quarter/task-list-items';

/** "2015-04-01" → "1 April 2015"; nothing shown for no date. */
export function longDate(iso: string | null | undefined): string {
  return calendarDate(iso, '');
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
  env.addFilter('taskListItems', taskListItems);
}
