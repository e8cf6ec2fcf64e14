import { displayMillions, displayPounds, type Money } from '../../common/money';
import { dataTable, horizontalBarChart, verticalBarChart, type ChartData } from '../charts';
import { PALETTE } from '../charts/types';
import { html, raw, type Html } from '../html';

/** £m summary with the exact pounds on hover. */
export function millions(pence: Money): Html {
  return html`<span title="${displayPounds(pence)}">${displayMillions(pence)}</span>`;
}

export function pounds(pence: Money | null | undefined): Html {
  return pence === null || pence === undefined ? html`–` : html`${displayPounds(pence)}`;
}

/** The quoted words and where they come from. */
export function provenance(
  s: { quote: string | null; document: string | null; section: string | null } | null | undefined,
): Html {
  if (!s || (!s.quote && !s.document)) return html`<p class="source">Source: not stated.</p>`;
  return html`${s.quote ? html`<blockquote class="quote">“${s.quote.replace(/\*\*|<\/?(?:b|strong|em|i|sup)>/g, '')}”</blockquote>` : ''}<p class="source">Source: ${s.document ?? 'unknown document'}${s.section ? html`, “${s.section}”` : ''}</p>`;
}

/** A chart with its legend, its data table (the same numbers) and a CSV link. */
export function chartFigure(c: ChartData, csvHref: string, orientation: 'h' | 'v' = 'h'): Html {
  const svg = orientation === 'h' ? horizontalBarChart(c) : verticalBarChart(c);
  const legend =
    c.series.length > 1
      ? html`<ul class="legend">${c.series.map((s, i) => html`<li><span style="background:${PALETTE[i % PALETTE.length]}"></span>${s.label}</li>`)}</ul>`
      : '';
  return html`<figure aria-labelledby="fig-${c.id}"><figcaption id="fig-${c.id}"><strong>${c.title}</strong>${c.illustrative ? html` <span class="illustrative">(illustrative)</span>` : ''}</figcaption>${raw(svg)}${legend}${dataTable(c, csvHref)}</figure>`;
}
