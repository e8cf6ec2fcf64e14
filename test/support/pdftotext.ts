import { execFileSync } from 'node:child_process';

/**
 * The briefing's text checks read the PDF with poppler's pdftotext. Missing pdftotext skips
 * those checks loudly, or fails when REQUIRE_PDFTOTEXT=1 (as .ci/run sets), like the
 * LibreOffice and Chromium helpers beside this one.
 */
let available: boolean | undefined;

export function pdftotextAvailable(what = 'PDF text checks'): boolean {
  if (available === undefined) {
    try {
      execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
      available = true;
    } catch {
      available = false;
    }
  }
  if (!available) {
    if (process.env.REQUIRE_PDFTOTEXT === '1')
      throw new Error('REQUIRE_PDFTOTEXT=1 but pdftotext is not installed: apt-get install poppler-utils');
    console.warn(`SKIPPED ${what}: pdftotext is not installed (Debian package poppler-utils)`);
  }
  return available;
}
