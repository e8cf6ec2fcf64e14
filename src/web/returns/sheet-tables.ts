import { dateTime, longDate, poundsText } from '../view-filters';

interface JsonColumn {
  key: string;
  header: string;
  type: string;
}
interface JsonSection {
  key: string;
  title: string;
  columns: JsonColumn[];
  rows: Record<string, string | number | null>[];
  totals: { label: string; values: Record<string, string | number | null> }[];
}

/** At most this many rows of a sheet are drawn as a table; the xlsx holds them all. */
export const SHEET_ROWS_SHOWN = 500;

const NUMERIC = new Set(['money', 'integer', 'percent', 'quantity']);

/** One cell as a person reads it: pounds for money, "12.50%" for percentages, long dates and times. */
export function cellText(type: string, v: string | number | null | undefined): string {
  if (v === null || v === undefined || v === '') return '';
  if (type === 'money' && typeof v === 'string' && /^-?\d+\.\d{2}$/.test(v)) return poundsText(v);
  if (type === 'percent') return `${v}%`;
  if (type === 'date' && typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return longDate(v);
  if (type === 'datetime' && typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v)) return dateTime(v);
  if (type === 'integer' && typeof v === 'number') return v.toLocaleString('en-GB');
  return String(v);
}

/**
 * The return's sheets (its JSON document's sections, as the xlsx writes them) as GOV.UK
 * tables: a head, the rows (the first SHEET_ROWS_SHOWN), then each total row.
 */
export function sheetTables(doc: { sections: JsonSection[] }) {
  return doc.sections.map((s) => {
    const head = s.columns.map((c) => ({ text: c.header, format: NUMERIC.has(c.type) ? 'numeric' : undefined }));
    const cells = (values: Record<string, string | number | null>) =>
      s.columns.map((c) => ({
        text: cellText(c.type, values[c.key]),
        format: NUMERIC.has(c.type) ? 'numeric' : undefined,
      }));
    const rows = s.rows.slice(0, SHEET_ROWS_SHOWN).map(cells);
    const totals = s.totals.map((t) => {
      const row = cells(t.values);
      if (!NUMERIC.has(s.columns[0]?.type ?? '') && !row[0].text) row[0] = { text: t.label, format: undefined };
      return row.map((c, i) => (i === 0 ? { ...c, classes: 'govuk-!-font-weight-bold' } : c));
    });
    return {
      key: s.key,
      title: s.title,
      rowCount: s.rows.length,
      shown: Math.min(s.rows.length, SHEET_ROWS_SHOWN),
      head,
      rows: [...rows, ...totals],
    };
  });
}
