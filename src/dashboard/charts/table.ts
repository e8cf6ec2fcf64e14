import { spreadsheetCsv } from '../../common/csv';
import { html, Html } from '../html';
import { milestoneSlipDays } from '../../rag/rag';
import { csvValue, exact } from './format';
import { narrowPence, sumMoney, type Money } from '../../common/money';
import type { ChartData, TimelineData } from './types';

const ILLUSTRATIVE_NOTE = 'Illustrative data: not from the source documents.';

/** The chart's numbers as an accessible, copyable table (exact pounds, never rounded). */
export function dataTable(data: ChartData, csvHref?: string): Html {
  // Grouped series compare (promised vs delivered, baseline vs actual): a row total would mean nothing.
  const multi = data.series.length > 1 && !data.grouped && !data.noTotal;
  // Exact totals: a column of large figures may pass 2^53 pence.
  const total = (vs: (Money | null)[]) => narrowPence(sumMoney(vs.map((v) => v ?? 0)));
  const totals = data.series.map((_, si) => total(data.values.map((row) => row[si])));
  const grand = total(totals);
  const rowTotal = (row: (Money | null)[]) => total(row);
  // Rows that carry the deal as agreed, or say whether illustrative data moved them, get a column each (as the CSV).
  const agreed = data.categories.some((c) => c.agreed !== undefined);
  const marked = data.categories.some((c) => c.illustrative !== undefined);
  const extra = html`${agreed ? html`<td></td>` : ''}${marked ? html`<td></td>` : ''}`;
  return html`<table class="data" id="table-${data.id}">
<caption>${data.title}${data.illustrative ? html` <strong class="illustrative">(${ILLUSTRATIVE_NOTE})</strong>` : ''}${csvHref ? html` <a class="csv" href="${csvHref}" download>Download CSV</a>` : ''}</caption>
<thead><tr><th scope="col"></th>${data.series.map((s) => html`<th scope="col">${s.label}</th>`)}${multi ? html`<th scope="col">Total</th>` : ''}${agreed ? html`<th scope="col">Agreed vs now</th>` : ''}${marked ? html`<th scope="col">Illustrative</th>` : ''}</tr></thead>
<tbody>${data.categories.map(
    (c, ci) =>
      html`<tr><th scope="row">${c.label}</th>${data.values[ci].map((v) => html`<td class="num">${v === null ? '–' : exact(data.unit, v)}</td>`)}${multi ? html`<td class="num">${exact(data.unit, rowTotal(data.values[ci]))}</td>` : ''}${agreed ? html`<td class="agreed">${c.agreed?.words ?? '–'}</td>` : ''}${marked ? html`<td>${c.illustrative ? html`<strong class="illustrative">yes</strong>` : 'no'}</td>` : ''}</tr>`,
  )}</tbody>
${data.noTotal ? '' : html`<tfoot><tr><th scope="row">Total</th>${totals.map((v) => html`<td class="num">${exact(data.unit, v)}</td>`)}${multi ? html`<td class="num">${exact(data.unit, grand)}</td>` : ''}${extra}</tr></tfoot>`}
</table>`;
}

/** The same numbers as CSV: one row per category, canonical pounds ("2400000.00"). */
export function chartCsv(data: ChartData): string {
  const unit = data.unit === 'pence' ? ' (£)' : '';
  // Per-row marks where the chart carries them: an "Illustrative" column of yes/no.
  const marked = data.categories.some((c) => c.illustrative !== undefined);
  // Rows of approved allocations carry the deal as agreed: its total, the change since, in words.
  const agreed = data.categories.some((c) => c.agreed !== undefined);
  const header = [
    '',
    ...data.series.map((s) => `${s.label}${unit}`),
    ...(agreed ? [`Agreed total${unit}`, `Change since agreed${unit}`, 'Agreed vs now'] : []),
    ...(marked ? ['Illustrative'] : []),
  ];
  const rows = data.categories.map((c, ci) => [
    c.label,
    ...data.values[ci].map((v) => csvValue(data.unit, v)),
    ...(agreed
      ? c.agreed
        ? [csvValue(data.unit, c.agreed.pence), csvValue(data.unit, c.agreed.changePence), c.agreed.words]
        : ['', '', '']
      : []),
    ...(marked ? [c.illustrative ? 'yes' : 'no'] : []),
  ]);
  const note = data.illustrative ? [[ILLUSTRATIVE_NOTE]] : [];
  return spreadsheetCsv([header, ...rows, ...note]);
}

export function timelineTable(data: TimelineData, csvHref?: string): Html {
  return html`<table class="data" id="table-${data.id}">
<caption>${data.title}${data.illustrative ? html` <strong class="illustrative">(${ILLUSTRATIVE_NOTE})</strong>` : ''}${csvHref ? html` <a class="csv" href="${csvHref}" download>Download CSV</a>` : ''}</caption>
<thead><tr><th scope="col">Milestone</th><th scope="col">Baseline</th><th scope="col">Forecast</th><th scope="col">Actual</th><th scope="col">Slip (days)</th></tr></thead>
<tbody>${data.rows.map((r) => html`<tr><th scope="row">${r.label}</th><td>${r.baseline ?? '–'}</td><td>${r.forecast ?? '–'}</td><td>${r.actual ?? '–'}</td><td class="num">${slip(r) ?? '–'}</td></tr>`)}</tbody>
</table>`;
}

export function timelineCsv(data: TimelineData): string {
  const rows = data.rows.map((r) => [r.label, r.baseline ?? '', r.forecast ?? '', r.actual ?? '', slip(r) ?? '']);
  return spreadsheetCsv([
    ['Milestone', 'Baseline', 'Forecast', 'Actual', 'Slip (days)'],
    ...rows,
    ...(data.illustrative ? [[ILLUSTRATIVE_NOTE]] : []),
  ]);
}

/** Forecast (or actual) against baseline, in days; positive is late. */
export function slip(r: TimelineData['rows'][number]): number | null {
  return milestoneSlipDays({ baselineDate: r.baseline, forecastDate: r.forecast, actualDate: r.actual });
}
