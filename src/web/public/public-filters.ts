import nunjucks from 'nunjucks';
import { displayMillions, displayPounds, parsePoundsExact } from '../../common/money';
import { Html } from '../../dashboard/html';
import { reflow } from '../../dashboard/views/reflow';

/** Pence (or null) → "£1,234.50", or "–" where there is no figure. */
export function moneyOrDash(pence: number | bigint | null | undefined): string {
  return pence === null || pence === undefined ? '–' : displayPounds(pence);
}

/** A canonical pound string ("1234.50") → "£1,234.50", or "–" where there is none. */
export function poundsStringOrDash(s: string | null | undefined): string {
  return s === null || s === undefined ? '–' : displayPounds(parsePoundsExact(s));
}

/**
 * Markup built by our own escaping code (dashboard/html.ts: a chart's SVG and its data table,
 * charts/figure.ts) passes through as it is; anything else is text and is escaped.
 */
export function markup(v: unknown): nunjucks.runtime.SafeString | string {
  return v instanceof Html ? new nunjucks.runtime.SafeString(v.value) : String(v ?? '');
}

/**
 * The public pages' filters. `reflow` is applied by the public layout to the rendered page: its
 * input is the template's own, already escaped output, so marking the result safe adds nothing
 * unescaped.
 */
export function addPublicFilters(env: nunjucks.Environment): void {
  env.addFilter('money', moneyOrDash);
  env.addFilter('poundsString', poundsStringOrDash);
  env.addFilter('millions', (pence: number) => displayMillions(pence));
  env.addFilter('count', (n: number) => n.toLocaleString('en-GB'));
  env.addFilter('markup', markup);
  // A quotation as shown: the source's bold and emphasis marks removed (the text is escaped after).
  env.addFilter('quoteText', (q: string) => String(q).replace(/\*\*|<\/?(?:b|strong|em|i|sup)>/g, ''));
  env.addFilter('reflow', (s: unknown) => new nunjucks.runtime.SafeString(reflow(String(s))));
}
