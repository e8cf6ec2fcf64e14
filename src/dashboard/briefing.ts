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

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * How the briefing prints, in one place (the CLI and the HTTP download): A4 from the page's own
 * print stylesheet, a 10-point footer naming the briefing with "page n of m" on every page, and
 * a tagged PDF with an outline from the headings (Chromium's accessibility tree).
 */
export function briefingPdfOptions(title: string) {
  return {
    format: 'A4' as const,
    printBackground: true,
    preferCSSPageSize: true,
    displayHeaderFooter: true,
    headerTemplate: '<span></span>',
    footerTemplate: `<div style="font-size:10pt;font-family:sans-serif;width:100%;margin:0 14mm;display:flex;justify-content:space-between"><span>${esc(title)}</span><span>page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`,
    tagged: true,
    outline: true,
  };
}

function needChromium(): void {
  if (!chromiumAvailable())
    throw new Error(
      `chromium is not installed at ${chromiumPath()} (install Debian's "chromium" package or set CHROMIUM_PATH)`,
    );
}

/** Prints the briefing page at `url` to an A4 PDF (print stylesheet applies); returns the page count. */
export async function printToPdf(url: string, out: string, title = 'Committee briefing'): Promise<number> {
  needChromium();
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    const res = await page.goto(url, { waitUntil: 'load' });
    if (!res || res.status() !== 200)
      throw new Error(`the briefing page answered ${res?.status() ?? 'nothing'} at ${url}`);
    const pdf = await page.pdf(briefingPdfOptions(title));
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, pdf);
    return pdfPageCount(pdf);
  } finally {
    await browser.close();
  }
}

/** One browser at a time on a small machine: downloads queue behind each other. */
let printing: Promise<unknown> = Promise.resolve();

/** How long one print may take, browser start included, before it is abandoned. */
export const PRINT_TIMEOUT_MS = 60_000;

/** A print that did not finish in time: its browser is closed, and the queue moves on. */
export class PrintTimedOutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`the briefing did not print within ${timeoutMs / 1000} seconds`);
  }
}

/**
 * Prints already rendered briefing HTML (for the HTTP download, without a request back to the
 * server): the page and its stylesheet are served to Chromium from memory, everything else is
 * refused, so the PDF is the same page a browser prints.
 *
 * A print that hangs (a browser that never starts, a page that never loads) would hold the queue
 * for ever, and every later download with it: after `timeoutMs` the print fails with
 * PrintTimedOutError and its browser is closed, whenever it started.
 */
export function printHtmlToPdf(
  htmlText: string,
  assets: Record<string, string>,
  title: string,
  timeoutMs = PRINT_TIMEOUT_MS,
): Promise<Buffer> {
  needChromium();
  const run = async () => {
    let timedOut = false;
    const launching = launchChromium();
    const work = (async () => {
      const page = await (await launching).context.newPage();
      // The deadline below governs; Playwright's own 30-second defaults would answer first, and differently.
      page.setDefaultTimeout(0);
      const origin = 'http://briefing.invalid';
      await page.route('**/*', (route) => {
        const url = new URL(route.request().url());
        if (url.origin === origin && url.pathname === '/')
          return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: htmlText });
        const asset = url.origin === origin ? assets[url.pathname] : undefined;
        if (asset !== undefined)
          return route.fulfill({ status: 200, contentType: 'text/css; charset=utf-8', body: asset });
        return route.abort();
      });
      await page.goto(`${origin}/`, { waitUntil: 'load' });
      return await page.pdf(briefingPdfOptions(title));
    })();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        timedOut = true;
        reject(new PrintTimedOutError(timeoutMs));
      }, timeoutMs);
    });
    try {
      return await Promise.race([work, deadline]);
    } finally {
      clearTimeout(timer);
      work.catch(() => undefined);
      // The browser closes once it has started: before answering a print that ended, in the
      // background for one abandoned (its Chromium may still be starting, or never finish).
      const closing = launching.then(
        (b) => b.close().catch(() => undefined),
        () => undefined,
      );
      if (!timedOut) await closing;
    }
  };
  const next = printing.then(run, run);
  printing = next.catch(() => undefined);
  return next;
}

/** Pages in a PDF: objects of /Type /Page (not /Pages). Chromium writes page dictionaries uncompressed. */
export function pdfPageCount(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;
}
