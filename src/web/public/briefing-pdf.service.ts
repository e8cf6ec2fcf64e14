import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DomainError } from '../../common/errors';
import { chromiumAvailable, printHtmlToPdf, PrintTimedOutError } from '../../dashboard/briefing';
import { DashboardService } from '../../dashboard/dashboard.service';
import { DASHBOARD_CSS } from '../../dashboard/views/styles';
import { programmePageView } from './programme.page';
import { renderPublicPage } from './render';

/** The committee briefing's HTML: the page a browser shows, and what Chromium prints to PDF. */
export function briefingHtml(v: ReturnType<typeof programmePageView>, generatedAt: string): string {
  return renderPublicPage('briefing.njk', {
    v,
    title: `Briefing: ${v.title}`,
    crumbs: [{ href: v.base, label: v.title }],
    illustrative: v.illustrative,
    generatedAt,
    preparedOn: generatedAt.slice(0, 10),
    print: true,
  });
}

/** A printed briefing: the bytes and their strong ETag (a hash of those very bytes). */
export interface PrintedBriefing {
  bytes: Buffer;
  etag: string;
}

/** What the download answers: the programme's canonical code and its PDF, or none without a browser. */
export interface BriefingDownload {
  code: string;
  pdf: PrintedBriefing | null;
}

/** The briefing cannot be printed now: 503, try again after `retryAfterSeconds`. */
export abstract class PrinterUnavailableError extends DomainError {
  constructor(
    code: string,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(code, message, 503, { retryAfterSeconds });
  }
}

/** The printer is busy with as many briefings as it queues. */
export class PrinterBusyError extends PrinterUnavailableError {
  constructor(retryAfterSeconds: number) {
    super(
      'PRINTER_BUSY',
      `the briefing printer is busy with other briefings: try again in ${retryAfterSeconds} seconds`,
      retryAfterSeconds,
    );
  }
}

/** The print took longer than it may (its browser was closed); the next request prints afresh. */
export class PrintTimedOutDomainError extends PrinterUnavailableError {
  constructor(timeoutMs: number) {
    super(
      'PRINT_TIMED_OUT',
      `the briefing did not print within ${timeoutMs / 1000} seconds: try again shortly, or print the briefing page from a browser`,
      30,
    );
  }
}

export type BriefingPrinter = (html: string, assets: Record<string, string>, title: string) => Promise<Buffer>;

const sha256 = (...parts: (string | Buffer)[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(`${p.length}:`).update(p);
  return h.digest('hex');
};

/**
 * The committee briefing PDF for the public download. Printing starts a browser (seconds of
 * CPU), so a PDF is printed once per content and then served from memory:
 *
 * - The key is a hash of the briefing page as rendered for today (its figures, names, the
 *   reporting quarter, the as-of date's RAG and overdue states), the footer title and the
 *   stylesheet: whatever changes what the PDF says changes the key, including changes that
 *   leave no audit entry (the date rolling over, a deal reloaded), which a version stamp could
 *   miss. Only the "Generated <time>" stamp is left out (it is rendered with the day alone).
 *   The app version is not in the key: the cache is in memory, so a new version starts empty.
 * - Memory rather than a file under data/: a programme keeps one PDF (the newest), in an LRU of
 *   `CACHE_PROGRAMMES`; a restart costs one print per programme asked for, and there are no
 *   files to expire, share between processes or clean up.
 * - Requests for the same key while it prints wait for that print (single flight). Prints of
 *   different keys queue behind the one browser (briefing.ts), at most `QUEUE` at a time;
 *   beyond that the request gets 503 with Retry-After rather than a growing queue.
 */
@Injectable()
export class BriefingPdfService {
  static readonly CACHE_PROGRAMMES = 16;
  static readonly QUEUE = 2;

  /** Programme code → its newest print; Map order is recency (the first is evicted). */
  private readonly cache = new Map<string, PrintedBriefing & { key: string }>();
  private readonly inFlight = new Map<string, Promise<PrintedBriefing>>();
  /** How long the last print took with its wait in the queue, for Retry-After (a guess until the first). */
  private lastPrintMs = 10_000;
  /** Prints started since boot, and requests that waited for another's print (the tests count them). */
  prints = 0;
  shared = 0;
  /** Replaceable so tests can hold a print back; the real one is Chromium. */
  printer: BriefingPrinter = printHtmlToPdf;

  constructor(private readonly dashboard: DashboardService) {}

  /** The briefing of `code` (404 for an unknown programme before anything is printed). */
  async download(code: string): Promise<BriefingDownload> {
    const v = programmePageView(await this.dashboard.overview(code, 'briefing'));
    const canonical = v.programme.code;
    if (!chromiumAvailable()) return { code: canonical, pdf: null };
    const now = new Date().toISOString();
    const title = `Committee briefing: ${v.programme.name}, ${v.programme.reportingQuarter}`;
    const key = sha256(canonical, title, DASHBOARD_CSS, briefingHtml(v, now.slice(0, 10)));

    const cached = this.cache.get(canonical);
    if (cached?.key === key) {
      this.cache.delete(canonical);
      this.cache.set(canonical, cached);
      return { code: canonical, pdf: cached };
    }
    let flight = this.inFlight.get(key);
    if (!flight) {
      if (this.inFlight.size >= BriefingPdfService.QUEUE)
        throw new PrinterBusyError(Math.max(1, Math.ceil((this.lastPrintMs * this.inFlight.size) / 1000)));
      flight = this.print(canonical, key, briefingHtml(v, now), title);
      this.inFlight.set(key, flight);
      void flight.then(
        () => this.inFlight.delete(key),
        () => this.inFlight.delete(key),
      );
    } else this.shared++;
    return { code: canonical, pdf: await flight };
  }

  private async print(code: string, key: string, page: string, title: string): Promise<PrintedBriefing> {
    this.prints++;
    const started = Date.now();
    let bytes: Buffer;
    try {
      bytes = await this.printer(page, { '/assets/dashboard.css': DASHBOARD_CSS }, title);
    } catch (e) {
      if (e instanceof PrintTimedOutError) throw new PrintTimedOutDomainError(e.timeoutMs);
      throw e;
    }
    this.lastPrintMs = Date.now() - started;
    const printed = { key, bytes, etag: `"${sha256(bytes)}"` };
    this.cache.delete(code);
    this.cache.set(code, printed);
    while (this.cache.size > BriefingPdfService.CACHE_PROGRAMMES) this.cache.delete(this.cache.keys().next().value!);
    return printed;
  }
}

/** RFC 9110 If-None-Match names `etag` (or is `*`): the client's copy is current, answer 304. Weak comparison. */
export function notModified(header: string | string[] | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const tags = (Array.isArray(header) ? header.join(',') : header).split(',').map((t) => t.trim());
  return tags.some((t) => t === '*' || t.replace(/^W\//, '') === etag);
}
