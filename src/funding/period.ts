import { formatFiscalYear } from '../common/fiscal';

/** How an allocation's period reads: "2015-16", "2016-17 to 2020-21", "2016-17 onwards", "unprofiled". */
export function periodLabel(kind: string, from: number | null, to: number | null): string {
  if (kind === 'unprofiled' || from === null) return 'unprofiled';
  if (kind === 'year') return formatFiscalYear(from);
  return to === null ? `${formatFiscalYear(from)} onwards` : `${formatFiscalYear(from)} to ${formatFiscalYear(to)}`;
}

/** The compact form used in requests and seeds: "unprofiled", "2015-16", "2016-17..2020-21", "2016-17..". */
export function periodCode(kind: string, from: number | null, to: number | null): string {
  if (kind === 'unprofiled' || from === null) return 'unprofiled';
  if (kind === 'year') return formatFiscalYear(from);
  return `${formatFiscalYear(from)}..${to === null ? '' : formatFiscalYear(to)}`;
}
