import { CellInput, ColumnSpec, keyValueRows } from '../xlsx/columns';
import type { FooterSpec, SheetSpec } from '../xlsx/writer';
import { ReturnDocument } from './return-document';

const COVER_COLUMNS: ColumnSpec[] = [
  { key: 'field', header: 'Field', type: 'text' },
  { key: 'value', header: 'Value', type: 'text', maxWidth: 90 },
];

/** The cover sheet: what this file is, which version, and the hash of its JSON snapshot. */
export function coverRows(doc: ReturnDocument, contentHash: string) {
  const c = doc.cover;
  const counts = c.checkCounts;
  const entries: [string, CellInput][] = [
    ['Programme', c.programme],
    ['Programme name', c.programmeName],
    ['Quarter', c.quarter],
    ['Quarter starts', { type: 'date', value: c.quarterStart }],
    ['Quarter ends', { type: 'date', value: c.quarterEnd }],
    ['Version', { type: 'integer', value: c.version }],
    ['Status', c.status],
    [c.status === 'submitted' ? 'Submitted by' : 'Prepared by', c.preparedBy],
    [c.status === 'submitted' ? 'Submitted at (UTC)' : 'Prepared at (UTC)', { type: 'datetime', value: c.preparedAt }],
    [
      c.status === 'submitted' ? 'Submitted on (programme date)' : 'Prepared on (programme date)',
      { type: 'date', value: c.preparedOn },
    ],
    ['Reason for resubmission', c.reason],
    [
      'Last return',
      c.lastReturn
        ? `${c.lastReturn.quarter} version ${c.lastReturn.version} (${c.lastReturn.contentHash})`
        : 'none submitted before this one',
    ],
    ['Checks', `${counts.error} errors, ${counts.warning} warnings, ${counts.note} notes (see the Checks sheet)`],
    [
      'Sections not included',
      c.sectionsNotIncluded.length ? `${c.sectionsNotIncluded.join(', ')}: not yet recorded in this system` : 'none',
    ],
    ['Money', 'pounds to the penny; every total is the exact sum of the rows above it'],
    [
      'Programme forecast',
      `Summary's "Latest forecast for the programme" is the total of Finance's "Forecast outturn" column: the actual for each quarter before ${c.quarter}, the latest forecast from ${c.quarter} on, plus prior-period adjustments. Finance's "Latest forecast" column keeps each closed quarter's last forecast beside its actual, so its total differs.`,
    ],
    ['Content hash (SHA-256 of the JSON snapshot)', contentHash],
  ];
  return keyValueRows(entries);
}

/** One sheet per section, the cover first and the checks last. */
export function returnSheets(doc: ReturnDocument, contentHash: string): SheetSpec[] {
  return [
    { name: 'Cover', columns: COVER_COLUMNS, rows: coverRows(doc, contentHash) },
    ...doc.sections.map((s) => ({ name: s.sheet, columns: s.columns, rows: s.rows, totals: s.totals })),
  ];
}

/** The printed footer of every sheet: which programme (left), quarter and version (centre) the page belongs to. */
export function returnFooter(doc: ReturnDocument): FooterSpec {
  const c = doc.cover;
  return { left: c.programmeName, centre: `Quarterly return ${c.quarter}, version ${c.version} (${c.status})` };
}

export function returnFileName(programme: string, quarterUrl: string, version: number, status: string): string {
  return `${programme}-return-${quarterUrl}-v${version}${status === 'draft' ? '-draft' : ''}.xlsx`;
}
