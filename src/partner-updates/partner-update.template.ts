import { ColumnSpec } from '../xlsx';

/**
 * The delivery partner's quarterly update: what the xlsx holds and how it reads back. The
 * About sheet names programme, project and quarter; a file for anything else is refused.
 */
export const PARTNER_UPDATE_KIND = 'partner-update/1';

export const SPEND_SHEET = 'Spend';
export const MILESTONES_SHEET = 'Milestones';
export const OUTPUTS_SHEET = 'Outputs';

export const SPEND_COLUMNS: ColumnSpec[] = [
  { key: 'sourceKind', header: 'Source', type: 'text', required: true },
  { key: 'quarter', header: 'Quarter', type: 'text', required: true },
  {
    key: 'baseline',
    header: 'Baseline forecast (£)',
    type: 'money',
    note: 'as approved: for reference, changes go through change control',
  },
  {
    key: 'forecast',
    header: 'Latest forecast (£)',
    type: 'money',
    required: true,
    note: 'your latest forecast spend in the quarter',
  },
  { key: 'actual', header: 'Actual (£)', type: 'money', note: 'actual spend, for the reporting quarter only' },
  {
    key: 'version',
    header: 'Version',
    type: 'integer',
    note: 'leave as it is: it detects edits made by someone else meanwhile',
  },
];

export const MILESTONE_COLUMNS: ColumnSpec[] = [
  { key: 'id', header: 'Id', type: 'integer', required: true, note: 'leave as it is' },
  { key: 'title', header: 'Milestone', type: 'text', maxWidth: 60 },
  { key: 'baselineDate', header: 'Baseline date', type: 'date', note: 'as approved: for reference' },
  { key: 'forecastDate', header: 'Forecast date', type: 'date' },
  {
    key: 'actualDate',
    header: 'Actual date',
    type: 'date',
    note: 'the date it happened, on or before the end of the reporting quarter',
  },
  { key: 'version', header: 'Version', type: 'integer', required: true, note: 'leave as it is' },
];

export const OUTPUT_COLUMNS: ColumnSpec[] = [
  { key: 'id', header: 'Id', type: 'integer', note: 'blank for a new claim' },
  {
    key: 'metric',
    header: 'Metric',
    type: 'text',
    required: true,
    note: 'a code of the metric dictionary, e.g. JOBS_CREATED',
  },
  { key: 'quarter', header: 'Quarter', type: 'text', required: true },
  {
    key: 'claimKey',
    header: 'Claim key',
    type: 'text',
    required: true,
    note: 'employer, site or reference: the same key claimed by two projects is flagged',
  },
  {
    key: 'value',
    header: 'Value',
    type: 'integer',
    required: true,
    note: 'achieved in the quarter, in the metric unit (km, ha, m², £ or a count)',
  },
  { key: 'evidence', header: 'Evidence', type: 'text', maxWidth: 60 },
  { key: 'version', header: 'Version', type: 'integer', note: 'leave as it is' },
];

/** Reading back, a value is kept as text so km and hectares keep their exact decimals. */
export const OUTPUT_READ_COLUMNS: ColumnSpec[] = OUTPUT_COLUMNS.map((c) =>
  c.key === 'value' ? { ...c, type: 'text' } : c,
);

export const READ_SHEETS = [
  { name: SPEND_SHEET, columns: SPEND_COLUMNS },
  { name: MILESTONES_SHEET, columns: MILESTONE_COLUMNS },
  { name: OUTPUTS_SHEET, columns: OUTPUT_READ_COLUMNS },
];

/** The cell of a column on a row, for `Sheet!Cell: problem` lines (columns as the template lays them out). */
export function cellRef(sheet: string, columns: ColumnSpec[], key: string, row: number): string {
  const i = columns.findIndex((c) => c.key === key);
  let n = i + 1;
  let s = '';
  while (n > 0) {
    s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
    n = Math.floor((n - 1) / 26);
  }
  return `${sheet}!${s}${row}`;
}
