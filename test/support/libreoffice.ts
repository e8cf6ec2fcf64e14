import { parse } from 'csv-parse/sync';
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * "Opens cleanly" is checked with LibreOffice headless (Excel cannot run here): the workbook is
 * converted to CSV, one file per sheet, and the sheets' rows are returned. Missing soffice
 * skips loudly, or fails when REQUIRE_LIBREOFFICE=1.
 */
const run = promisify(execFile);

// Separator 44 (,), quote 34 ("), UTF-8, start row 1, no column formats, system language,
// not quoted-as-text, detect special numbers, values not "as shown" (raw numbers), no formulas,
// no trimming, no BOM... and -1: every sheet to its own file.
export const CSV_FILTER = 'csv:Text - txt - csv (StarCalc):44,34,UTF8,1,,0,false,true,false,false,false,-1';

let available: boolean | undefined;

export function sofficePath(): string | null {
  try {
    return (
      execFileSync('sh', ['-c', 'command -v soffice || command -v libreoffice'], { encoding: 'utf8' }).trim() || null
    );
  } catch {
    return null;
  }
}

export function libreOfficeAvailable(): boolean {
  if (available !== undefined) return available;
  available = sofficePath() !== null;
  if (!available) {
    if (process.env.REQUIRE_LIBREOFFICE === '1')
      throw new Error('REQUIRE_LIBREOFFICE=1 but soffice is not installed: apt-get install libreoffice-calc-nogui');
    console.warn('SKIPPED LibreOffice checks: soffice is not installed (Debian package libreoffice-calc-nogui)');
  }
  return available;
}

/** Converts an xlsx with LibreOffice and returns each sheet's rows, keyed by sheet name. */
export async function xlsxToCsvSheets(xlsxPath: string, sheetNames: string[]): Promise<Record<string, string[][]>> {
  const soffice = sofficePath();
  if (!soffice) throw new Error('soffice is not installed (Debian package libreoffice-calc-nogui)');
  const work = mkdtempSync(join(tmpdir(), 'lo-'));
  try {
    const input = join(work, 'book.xlsx');
    copyFileSync(xlsxPath, input);
    const profile = join(work, 'profile');
    const outDir = join(work, 'out');
    const { stderr } = await run(
      soffice,
      [
        `-env:UserInstallation=file://${profile}`,
        '--headless',
        '--norestore',
        '--convert-to',
        CSV_FILTER,
        '--outdir',
        outDir,
        input,
      ],
      { timeout: 120_000 },
    );
    const files = readdirSync(outDir);
    if (files.length === 0) throw new Error(`LibreOffice wrote nothing: ${stderr}`);
    const out: Record<string, string[][]> = {};
    for (const name of sheetNames) {
      const file =
        files.find((f) => f === `book-${name}.csv`) ??
        (sheetNames.length === 1 ? files.find((f) => f === 'book.csv') : undefined);
      if (!file) throw new Error(`LibreOffice wrote no CSV for sheet ${name} (files: ${files.join(', ')})`);
      out[name] = parse(readFileSync(join(outDir, file), 'utf8'), { relaxColumnCount: true }) as string[][];
    }
    return out;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Prints an xlsx to PDF with LibreOffice (its own profile) and returns the PDF's bytes. */
export async function xlsxToPdf(xlsxPath: string): Promise<Buffer> {
  const soffice = sofficePath();
  if (!soffice) throw new Error('soffice is not installed (Debian package libreoffice-calc-nogui)');
  const work = mkdtempSync(join(tmpdir(), 'lo-pdf-'));
  try {
    const input = join(work, 'book.xlsx');
    copyFileSync(xlsxPath, input);
    const outDir = join(work, 'out');
    const { stderr } = await run(
      soffice,
      [
        `-env:UserInstallation=file://${join(work, 'profile')}`,
        '--headless',
        '--norestore',
        '--convert-to',
        'pdf:calc_pdf_Export',
        '--outdir',
        outDir,
        input,
      ],
      { timeout: 120_000 },
    );
    const files = readdirSync(outDir);
    if (!files.includes('book.pdf')) throw new Error(`LibreOffice wrote no PDF: ${stderr}`);
    return readFileSync(join(outDir, 'book.pdf'));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
