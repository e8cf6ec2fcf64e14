import { parse } from 'csv-parse/sync';
import { EntityManager } from 'typeorm';
import { FieldProblem, ValidationError } from '../common/errors';
import { formatQuarter, parseQuarter } from '../common/fiscal';
import { parseLoosePounds } from '../common/money';
import { Programme } from '../programmes/programme.entity';

export interface ActualsCsvRow {
  line: number;
  project: string;
  sourceKind: string;
  quarter: string;
  actualPence: number;
  note: string | null;
}

const REQUIRED = ['project', 'sourceKind', 'quarter', 'actual'];

/** Pure: CSV text to rows, and every problem as "line N, column". Line 1 is the header. */
export function parseActualsCsv(text: string): { rows: ActualsCsvRow[]; problems: FieldProblem[] } {
  let records: string[][];
  try {
    records = parse(text.replace(/^\uFEFF/, ''), {
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    }) as string[][];
  } catch (e) {
    return { rows: [], problems: [{ field: 'file', problem: `is not readable CSV: ${(e as Error).message}` }] };
  }
  if (!records.length)
    return {
      rows: [],
      problems: [
        { field: 'line 1, header', problem: 'the file is empty: expected project,sourceKind,quarter,actual[,note]' },
      ],
    };
  const header = records[0];
  const missing = REQUIRED.filter((c) => !header.includes(c));
  const unknown = header.filter((c) => ![...REQUIRED, 'note'].includes(c));
  if (missing.length || unknown.length) {
    return {
      rows: [],
      problems: [
        {
          field: 'line 1, header',
          problem: `expected columns project,sourceKind,quarter,actual[,note]${missing.length ? `; missing ${missing.join(', ')}` : ''}${unknown.length ? `; unknown ${unknown.join(', ')}` : ''}`,
        },
      ],
    };
  }
  const idx = Object.fromEntries(header.map((h, i) => [h, i]));
  const rows: ActualsCsvRow[] = [];
  const problems: FieldProblem[] = [];
  if (records.length === 1) problems.push({ field: 'line 2, project', problem: 'the file has a header but no rows' });
  records.slice(1).forEach((rec, i) => {
    const line = i + 2;
    const get = (c: string) => (rec[idx[c]] ?? '').trim();
    const before = problems.length;
    const project = get('project');
    const sourceKind = get('sourceKind');
    if (!project) problems.push({ field: `line ${line}, project`, problem: 'is empty' });
    if (!sourceKind) problems.push({ field: `line ${line}, sourceKind`, problem: 'is empty' });
    let quarter = '';
    try {
      if (!/^\d{4}-\d{2} Q[1-4]$/.test(get('quarter'))) throw new Error('must be a quarter like "2016-17 Q4"');
      quarter = formatQuarter(parseQuarter(get('quarter')));
    } catch (e) {
      problems.push({
        field: `line ${line}, quarter`,
        problem: `"${get('quarter')}" ${(e as Error).message.replace(/^"[^"]*" /, '')}`,
      });
    }
    let actualPence = 0;
    try {
      actualPence = parseLoosePounds(get('actual'));
      if (actualPence < 0)
        problems.push({
          field: `line ${line}, actual`,
          problem: `"${get('actual')}" is negative: correct a locked quarter with a prior-period adjustment`,
        });
    } catch (e) {
      problems.push({ field: `line ${line}, actual`, problem: `"${get('actual')}" ${(e as Error).message}` });
    }
    if (problems.length === before)
      rows.push({
        line,
        project,
        sourceKind,
        quarter,
        actualPence,
        note: idx.note === undefined ? null : get('note') || null,
      });
  });
  return { rows, problems };
}

/** The CLI's default programme: the only one in the database. */
export async function onlyProgramme(m: EntityManager): Promise<Programme> {
  const all = await m.find(Programme, { order: { id: 'ASC' }, take: 2 });
  if (all.length !== 1)
    throw new ValidationError([
      {
        field: 'programme',
        problem: all.length
          ? 'there is more than one programme: name one with --programme <code>'
          : 'there is no programme: load a deal first',
      },
    ]);
  return all[0];
}
