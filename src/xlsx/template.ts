import { Writable } from 'node:stream';
import { ColumnSpec, RowInput } from './columns';
import { loadXlsx, ReadRow, readSheet, XlsxRejectedError } from './reader';
import { SheetSpec, writeXlsx } from './writer';

/**
 * Fill-in templates (e.g. a delivery partner's quarterly update): an "About" sheet says what
 * the file is for (kind, programme, project, quarter...), then one sheet per declared table,
 * pre-filled with the rows the partner completes. A feature declares only the identity and
 * the columns; writing, reading back and refusing a file meant for something else live here.
 */
export const ABOUT_SHEET = 'About';

export interface TemplateSheet {
  name: string;
  columns: ColumnSpec[];
  rows: RowInput[] | AsyncIterable<RowInput>;
  /** The columns a person fills in: with these the sheet is protected, other written cells locked. */
  inputs?: string[];
  /** Dropdowns of the allowed codes, by column key. */
  choices?: Record<string, string[]>;
}

export interface TemplateSpec {
  /** e.g. "partner-update/1": a file of another kind is refused. */
  kind: string;
  /** What the file is for, in order: e.g. { Programme: 'SSLEP-GD-2014', Project: 'ETRURIA', Quarter: '2015-16 Q1' }. */
  identity: Record<string, string>;
  instructions?: string[];
  sheets: TemplateSheet[];
}

const ABOUT_COLUMNS: ColumnSpec[] = [
  { key: 'field', header: 'Field', type: 'text' },
  { key: 'value', header: 'Value', type: 'text', maxWidth: 100 },
];

export async function writeTemplate(out: Writable, spec: TemplateSpec): Promise<void> {
  const about: RowInput[] = [
    { field: 'Template', value: spec.kind },
    ...Object.entries(spec.identity).map(([field, value]) => ({ field, value })),
  ];
  for (const line of spec.instructions ?? []) about.push({ field: 'Note', value: line });
  for (const s of spec.sheets) {
    for (const c of s.columns) {
      if (c.required || c.note)
        about.push({
          field: `${s.name}: ${c.header}`,
          value: [c.required ? 'required' : 'optional', c.note].filter(Boolean).join('; '),
        });
    }
  }
  const sheets: SheetSpec[] = [
    // Once any sheet is protected, About is too (nothing on it is an input).
    {
      name: ABOUT_SHEET,
      columns: ABOUT_COLUMNS,
      rows: about,
      inputs: spec.sheets.some((s) => s.inputs) ? [] : undefined,
    },
    ...spec.sheets.map((s) => ({
      name: s.name,
      columns: s.columns,
      rows: s.rows,
      inputs: s.inputs,
      choices: s.choices,
    })),
  ];
  await writeXlsx(out, sheets);
}

/**
 * Reads a filled template back. The file must be of `kind` and for exactly `identity`;
 * every cell problem is collected and any problem rejects the whole file.
 */
export async function readTemplate(
  input: Buffer | string,
  spec: Omit<TemplateSpec, 'sheets' | 'instructions'> & { sheets: { name: string; columns: ColumnSpec[] }[] },
  name?: string,
): Promise<Record<string, ReadRow[]>> {
  const wb = await loadXlsx(input, name);
  const problems: string[] = [];
  const about = readSheet(wb, { name: ABOUT_SHEET, columns: ABOUT_COLUMNS }, problems);
  if (problems.length) throw new XlsxRejectedError(`${name ?? 'the file'} is not a ${spec.kind} template`, problems);
  const found = new Map(
    about.map((r) => [String(r.values.field ?? ''), { value: String(r.values.value ?? ''), row: r.row }]),
  );
  const expected: [string, string][] = [['Template', spec.kind], ...Object.entries(spec.identity)];
  for (const [field, want] of expected) {
    const got = found.get(field);
    if (!got) problems.push(`${ABOUT_SHEET}!A1: the "${field}" line is missing: this is not a ${spec.kind} template`);
    else if (got.value !== want)
      problems.push(
        `${ABOUT_SHEET}!B${got.row}: this file is for ${field.toLowerCase()} "${got.value}", not "${want}"`,
      );
  }
  if (problems.length)
    throw new XlsxRejectedError(
      `${name ?? 'the file'} was not imported: it is not the template for this ${Object.keys(spec.identity).join(' and ').toLowerCase()}`,
      problems,
    );
  const out: Record<string, ReadRow[]> = {};
  for (const s of spec.sheets) out[s.name] = readSheet(wb, s, problems);
  if (problems.length)
    throw new XlsxRejectedError(
      `${name ?? 'the file'} was not imported: ${problems.length} problem${problems.length === 1 ? '' : 's'}, nothing was changed`,
      problems,
    );
  return out;
}
