import { displayMillions, displayPounds, type Money } from '../../common/money';
import { html, type Html } from '../html';

/**
 * £m summary with the exact pounds on hover, for the delivery sections that still build their
 * bodies here (the templates' own is the `millions` macro of web/views/public/parts.njk).
 */
export function millions(pence: Money): Html {
  return html`<span title="${displayPounds(pence)}">${displayMillions(pence)}</span>`;
}
