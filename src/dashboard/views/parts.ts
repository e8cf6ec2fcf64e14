import { displayMillions, displayPounds, type Money } from '../../common/money';
import { dataTable, horizontalBarChart, verticalBarChart, type ChartData } from '../charts';
import { PALETTE } from '../charts/types';
import { html, join, raw, type Html } from '../html';
import type { AgreedLineView } from '../../changes/agreed.queries';
import { agreedFigures } from '../../changes/agreed.queries';

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

/**
 * "agreed £4.0m · now £4.2m (+£0.2m, change request 1) (illustrative)": the same words as
 * changes/engine/agreed.ts's agreedWords, with each change request linked to where it is listed.
 */
export function agreedHtml(l: AgreedLineView, changeHref: (n: number) => string): Html {
  const f = agreedFigures(l);
  const mark = l.illustrative ? html` <span class="illustrative">(illustrative)</span>` : '';
  const agreed = html`agreed <span title="${displayPounds(l.agreedPence)}">${f.agreed}</span>`;
  if (!l.changed) return html`<span class="agreed">${agreed} · unchanged${mark}</span>`;
  const links = l.changes.map((c) => html`<a href="${changeHref(c.number)}">${String(c.number)}</a>`);
  const why = !links.length
    ? ''
    : links.length === 1
      ? html`, <a href="${changeHref(l.changes[0].number)}">change request ${String(l.changes[0].number)}</a>`
      : html`, change requests ${join(links.slice(0, -1), ', ')} and ${links[links.length - 1]}`;
  return html`<span class="agreed">${agreed} · now <span title="${displayPounds(l.nowPence)}">${f.now}</span> (${f.change}${why})${mark}</span>`;
}
