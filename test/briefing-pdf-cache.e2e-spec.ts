/**
 * The public briefing PDF is printed once per content (BriefingPdfService): a repeat download
 * is the same bytes from memory with a strong ETag, If-None-Match answers 304, a change of a
 * figure prints anew, concurrent downloads share one print, and more distinct prints than the
 * queue holds get 503 with Retry-After. On the demo history (2016-17 Q4, not yet submitted).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { printHtmlToPdf } from '../src/dashboard/briefing';
import { BriefingPdfService } from '../src/web/public/briefing-pdf.service';
import { changeRequestSteps } from './support/change-requests';
import { chromiumForTests } from './support/chromium';
import { databaseKinds } from './support/databases';
import { pdftotextAvailable } from './support/pdftotext';
import { startTestApp, TestApp } from './support/test-app';

const CODE = 'SSLEP-GD-2014';
const P = `/api/programmes/${CODE}`;
const URL = `/programmes/${CODE}/briefing.pdf`;
const haveChromium = chromiumForTests('briefing PDF cache tests');
const havePdfTools = pdftotextAvailable('briefing PDF cache tests');
const pdfIt = haveChromium && havePdfTools ? it : it.skip;

describe.each(databaseKinds())('the briefing PDF, printed once per content (%s)', (kind) => {
  let t: TestApp;
  let svc: BriefingPdfService;
  let dir: string;
  const { approved } = changeRequestSteps(() => t);
  const get = (headers: Record<string, string> = {}) => t.getBytes(URL, { authorization: '', ...headers });
  /** The PDF's text, one string per page, blanks squeezed. */
  const pages = (bytes: Buffer): string[] => {
    const file = join(dir, 'briefing.pdf');
    writeFileSync(file, bytes);
    return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })
      .split('\f')
      .map((p) => p.replace(/\s+/g, ' '));
  };
  /** Reduces Etruria's provisional LGF allocation by £100,000.00 through an approved change request. */
  async function reduceEtruria() {
    const items = (await t.request('GET', `${P}/allocations?limit=500`)).body.items as {
      id: number;
      sourceKind: string;
      project: string | null;
    }[];
    const lgf = items.find((a) => a.sourceKind === 'LGF_PROVISIONAL' && a.project === 'ETRURIA')!;
    await approved('reduce_allocation', {
      allocationId: lgf.id,
      amount: '100000.00',
      mode: 'release',
      reason: 'Came in under budget',
      reference: 'Board minute 2017/3',
    });
  }
  /** Renames Meaford (its name is in the projects table): another briefing. */
  async function renameMeaford(name: string) {
    const before = await t.request('GET', `${P}/projects/MEAFORD`);
    const res = await t.request('PATCH', `${P}/projects/MEAFORD`, { name, version: before.body.version });
    expect(res.status).toBe(200);
  }

  beforeAll(async () => {
    t = await startTestApp(kind, { DEMO_DATA: 'true' });
    svc = t.app.get(BriefingPdfService);
    dir = mkdtempSync(join(tmpdir(), 'briefing-pdf-cache-'));
  });
  afterAll(async () => {
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  pdfIt(
    'prints once: a repeat is the same bytes and ETag, If-None-Match is a 304, a changed figure prints anew',
    async () => {
      const prints = svc.prints;
      const first = await get();
      const second = await get();
      expect([first.status, second.status, svc.prints - prints]).toEqual([200, 200, 1]);
      expect(first.headers['content-type']).toBe('application/pdf');
      expect(first.headers['cache-control']).toBe('public, no-cache');
      const etag = first.headers.etag as string;
      expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
      expect(second.headers.etag).toBe(etag);
      expect(second.bytes.equals(first.bytes)).toBe(true);
      expect(pages(first.bytes)[2]).toContain('£29,200,000.00');

      const notModified = await get({ 'if-none-match': etag });
      expect([notModified.status, notModified.bytes.length, notModified.headers.etag]).toEqual([304, 0, etag]);
      const listed = await get({ 'if-none-match': `"stale", W/${etag}` });
      expect(listed.status).toBe(304);
      const other = await get({ 'if-none-match': '"stale"' });
      expect([other.status, other.bytes.equals(first.bytes)]).toEqual([200, true]);
      expect(svc.prints - prints).toBe(1);

      await reduceEtruria();
      const changed = await get({ 'if-none-match': etag });
      expect([changed.status, svc.prints - prints]).toEqual([200, 2]);
      expect(changed.headers.etag).not.toBe(etag);
      const text = pages(changed.bytes)[2];
      expect(text).toContain('£29,100,000.00');
      expect(text).not.toContain('£29,200,000.00');
      const again = await get({ 'if-none-match': changed.headers.etag as string });
      expect([again.status, svc.prints - prints]).toEqual([304, 2]);
    },
    300_000,
  );

  pdfIt(
    'five concurrent downloads of an unprinted briefing share one print',
    async () => {
      await reduceEtruria();
      const prints = svc.prints;
      const all = await Promise.all([1, 2, 3, 4, 5].map(() => get()));
      expect(all.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
      expect(svc.prints - prints).toBe(1);
      expect(new Set(all.map((r) => r.headers.etag)).size).toBe(1);
      expect(all.every((r) => r.bytes.equals(all[0].bytes))).toBe(true);
      expect(pages(all[0].bytes)[2]).toContain('£29,000,000.00');
    },
    300_000,
  );

  (haveChromium ? it : it.skip)(
    'a print past its deadline is a 503 naming the time limit, and the next print goes ahead',
    async () => {
      const savedPrinter = svc.printer;
      // A real print with a deadline no browser can meet: Chromium is still starting when it passes.
      svc.printer = (html, assets, title) => printHtmlToPdf(html, assets, title, 1);
      try {
        await renameMeaford('Meaford employment site (timed out)');
        const late = await get();
        expect([late.status, late.headers['retry-after']]).toEqual([503, '30']);
        expect(JSON.parse(late.bytes.toString('utf8'))).toMatchObject({
          statusCode: 503,
          code: 'PRINT_TIMED_OUT',
          message:
            'the briefing did not print within 0.001 seconds: try again shortly, or print the briefing page from a browser',
        });
      } finally {
        svc.printer = savedPrinter;
      }
      // Nothing was cached and the queue is free: the same briefing now prints.
      const ok = await get();
      expect([ok.status, ok.headers['content-type']]).toEqual([200, 'application/pdf']);
      expect(ok.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    },
    300_000,
  );

  it('more distinct prints than the queue holds: 503 with Retry-After, never a 500; the queue then drains', async () => {
    // A printer held back by the test (no browser needed); CHROMIUM_PATH only has to exist.
    const savedPrinter = svc.printer;
    const savedPath = process.env.CHROMIUM_PATH;
    process.env.CHROMIUM_PATH = process.execPath;
    const held: (() => void)[] = [];
    let n = 0;
    svc.printer = () => {
      const pdf = Buffer.from(`%PDF-fake ${++n}`);
      return new Promise((resolve) => held.push(() => resolve(pdf)));
    };
    try {
      const [prints, shared] = [svc.prints, svc.shared];
      // Each change makes a different briefing: two prints fill the queue.
      await renameMeaford('Meaford employment site (phase A)');
      const a = get();
      await waitFor(() => held.length === 1);
      await renameMeaford('Meaford employment site (phase B)');
      const b = get();
      await waitFor(() => held.length === 2);
      const same = get(); // the same briefing as b: waits for b's print, takes no place in the queue
      await waitFor(() => svc.shared === shared + 1);
      await renameMeaford('Meaford employment site (phase C)');
      const busy = await get();
      expect([busy.status, busy.headers['retry-after']]).toEqual([503, expect.stringMatching(/^[1-9]\d*$/)]);
      expect(JSON.parse(busy.bytes.toString('utf8'))).toMatchObject({
        statusCode: 503,
        code: 'PRINTER_BUSY',
      });
      expect(svc.prints - prints).toBe(2);

      for (const release of held.splice(0)) release();
      const [ra, rb, rs] = await Promise.all([a, b, same]);
      expect([ra.status, rb.status, rs.status]).toEqual([200, 200, 200]);
      expect(rs.headers.etag).toBe(rb.headers.etag);
      expect(ra.headers.etag).not.toBe(rb.headers.etag);
      // With the queue empty the third briefing prints.
      const c = get();
      await waitFor(() => held.length === 1);
      held.splice(0)[0]();
      expect((await c).status).toBe(200);
      expect(svc.prints - prints).toBe(3);
    } finally {
      svc.printer = savedPrinter;
      if (savedPath === undefined) delete process.env.CHROMIUM_PATH;
      else process.env.CHROMIUM_PATH = savedPath;
    }
  }, 120_000);
});

async function waitFor(ok: () => boolean): Promise<void> {
  for (let i = 0; !ok(); i++) {
    if (i > 2000) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}
