import { Injectable } from '@nestjs/common';
import { createWriteStream } from 'node:fs';
import { Writable } from 'node:stream';
import { EntityManager } from 'typeorm';
import { ValidationError } from '../common/errors';
import { formatQuarter, parseQuarter } from '../common/fiscal';
import { Db } from '../database/db.service';
import { RowInput, SheetResult, SheetSpec, writeXlsx } from '../xlsx';
import { illustrativeMarks } from './national-return.marks';
import { nationalRowPages, programmeList, sourceKindList } from './national-return.queries';
import {
  COVER_COLUMNS,
  coverRows,
  FINANCE_COLUMNS,
  financeRow,
  financeTotals,
  PROGRAMME_COLUMNS,
  ProgrammeSums,
  rowIllustrative,
  sheetNames,
} from './national-return.sheets';

export interface NationalExportOptions {
  /** An ISO timestamp shown on the cover (default now); fixed in tests and benchmarks so two writes compare. */
  generatedAt?: string;
  /** Projects per statement (memory is bounded by one page plus one read ahead). */
  pageSize?: number;
  onProgress?: (rowsWritten: number) => void;
}

export interface NationalExportResult {
  quarter: string;
  programmes: number;
  rows: number;
  sheets: SheetResult[];
}

export const DEFAULT_PAGE_SIZE = 1000;

export function parseQuarterInput(input: string): string {
  try {
    return formatQuarter(parseQuarter(input));
  } catch (e) {
    throw new ValidationError([{ field: 'quarter', problem: (e as Error).message }]);
  }
}

/**
 * The national quarterly return: one workbook, every programme in the database, a row per
 * project × source kind for one quarter. Streamed: pages of rows come from the database and go
 * straight into the xlsx stream; only per-programme sums are kept (for the Programmes sheet).
 */
@Injectable()
export class NationalReturnService {
  constructor(private readonly db: Db) {}

  /**
   * One consistent read: SQLite's queue (no write interleaves), a repeatable-read snapshot on
   * PostgreSQL. There JIT is switched off for the snapshot: a page is a short statement whose
   * cost estimate can still cross jit_above_cost (the earlier join form did at 6,000 projects,
   * and spent ~50 ms compiling for a ~50 ms page), so JIT can only slow this export down.
   */
  private consistentRead<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    if (this.db.type !== 'postgres') return this.db.read(fn);
    return this.db.ds.transaction('REPEATABLE READ', async (m) => {
      await m.query('SET LOCAL jit = off');
      return fn(m);
    });
  }

  exportTo(out: Writable, quarterInput: string, opts: NationalExportOptions = {}): Promise<NationalExportResult> {
    const quarter = parseQuarterInput(quarterInput);
    const names = sheetNames();
    return this.consistentRead(async (m) => {
      const programmes = await programmeList(m);
      const kinds = await sourceKindList(m);
      const marks = await illustrativeMarks(m, this.db.type, quarter);
      const sums = new ProgrammeSums();
      const pages = nationalRowPages(m, this.db.type, quarter, opts.pageSize ?? DEFAULT_PAGE_SIZE);
      async function* financeRows(): AsyncGenerator<RowInput> {
        for await (const page of pages) {
          for (const r of page) {
            const parts = rowIllustrative(r, marks);
            const row = financeRow(r, parts);
            sums.add(row, parts);
            yield row;
          }
        }
      }
      function* sheets(): Generator<SheetSpec> {
        yield {
          name: names.cover,
          columns: COVER_COLUMNS,
          rows: coverRows(quarter, programmes, opts.generatedAt ?? new Date().toISOString(), [...marks.keys()]),
        };
        yield { name: names.finance, columns: FINANCE_COLUMNS, rows: financeRows(), totals: financeTotals(kinds) };
        // Only reached once the finance rows are written: the sums are complete.
        yield {
          name: names.programmes,
          columns: PROGRAMME_COLUMNS,
          rows: sums.rows(programmes),
          totals: [
            {
              label: 'Total',
              columns: ['rows', 'allocation', 'baseline', 'forecast', 'actual', 'actualToDate', 'forecastProgramme'],
            },
          ],
        };
      }
      const results = await writeXlsx(out, sheets(), {
        creator: 'Growth Deal tracker',
        footer: {
          left: `National return: ${programmes.length} programme${programmes.length === 1 ? '' : 's'}`,
          centre: `Quarter ${quarter}`,
        },
        onProgress: (sheet, n) => sheet === names.finance && opts.onProgress?.(n),
      });
      return {
        quarter,
        programmes: programmes.length,
        rows: results.find((s) => s.name === names.finance)!.rows,
        sheets: results,
      };
    });
  }

  exportToFile(path: string, quarter: string, opts: NationalExportOptions = {}): Promise<NationalExportResult> {
    return this.exportTo(createWriteStream(path), quarter, opts);
  }
}
