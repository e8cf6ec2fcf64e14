import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Headless Chromium (Debian's package), never a downloaded browser. */
export const chromiumPath = (): string => process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumAvailable = (): boolean => existsSync(chromiumPath());

/** Flags this machine needs: root needs --no-sandbox; no outside network, so nothing phones home. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--headless',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches Chromium with a fresh profile; close() also removes the profile. */
export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'gdt-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    args: CHROMIUM_ARGS,
    headless: true,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Prints the briefing page at `url` to an A4 PDF (print stylesheet applies); returns the page count. */
export async function printToPdf(url: string, out: string): Promise<number> {
  if (!chromiumAvailable())
    throw new Error(
      `chromium is not installed at ${chromiumPath()} (install Debian's "chromium" package or set CHROMIUM_PATH)`,
    );
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    const res = await page.goto(url, { waitUntil: 'load' });
    if (!res || res.status() !== 200)
      throw new Error(`the briefing page answered ${res?.status() ?? 'nothing'} at ${url}`);
    const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, pdf);
    return pdfPageCount(pdf);
  } finally {
    await browser.close();
  }
}

/** Pages in a PDF: objects of /Type /Page (not /Pages). Chromium writes page dictionaries uncompressed. */
export function pdfPageCount(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;
}
