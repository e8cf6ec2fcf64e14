/**
 * Issue 16, "the committee briefing": the PDF a committee clerk downloads (public, over HTTP)
 * has page numbers, body text of at least 10 pt, a full first page, no words that only make
 * sense on a screen, and is a tagged PDF. On the demo history (2016-17 Q4, not yet submitted).
 * Checked with pdfinfo and pdftotext (-layout for the words, -bbox for the sizes).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumForTests } from './support/chromium';
import { databaseKinds } from './support/databases';
import { pdftotextAvailable } from './support/pdftotext';
import { startTestApp, TestApp } from './support/test-app';

const CODE = 'SSLEP-GD-2014';
const TITLE = 'Committee briefing: Stoke-on-Trent and Staffordshire Growth Deal (2014), 2016-17 Q4';
const haveChromium = chromiumForTests('briefing PDF tests');
const havePdfTools = pdftotextAvailable('briefing PDF tests');
const pdfIt = haveChromium && havePdfTools ? it : it.skip;

interface Word {
  page: number;
  yMin: number;
  yMax: number;
  text: string;
}

/** Every word with its box, from `pdftotext -bbox` (points, y downwards). */
function words(pdf: string): { pages: { width: number; height: number }[]; words: Word[] } {
  const xhtml = execFileSync('pdftotext', ['-bbox', pdf, '-'], { encoding: 'utf8' });
  const pages: { width: number; height: number }[] = [];
  const out: Word[] = [];
  for (const p of xhtml.split('<page ').slice(1)) {
    const size = /width="([\d.]+)" height="([\d.]+)"/.exec(p)!;
    pages.push({ width: Number(size[1]), height: Number(size[2]) });
    for (const m of p.matchAll(/<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<\/word>/g))
      out.push({ page: pages.length, yMin: Number(m[1]), yMax: Number(m[2]), text: m[3] });
  }
  return { pages, words: out };
}

describe.each(databaseKinds())('the committee briefing as a PDF (%s)', (kind) => {
  let t: TestApp;
  let dir: string;
  beforeAll(async () => {
    t = await startTestApp(kind, { DEMO_DATA: 'true' });
    dir = mkdtempSync(join(tmpdir(), 'briefing-pdf-'));
  });
  afterAll(async () => {
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('an unknown programme is a 404 before any printing', async () => {
    const res = await t.anonymous('GET', '/programmes/NO-SUCH/briefing.pdf');
    expect(res.status).toBe(404);
  });

  it('without a browser to print with, the download sends the reader to the printable page', async () => {
    const saved = process.env.CHROMIUM_PATH;
    process.env.CHROMIUM_PATH = join(tmpdir(), 'no-such-chromium');
    try {
      const res = await t.anonymous('GET', `/programmes/${CODE}/briefing.pdf`);
      expect([res.status, res.headers.location]).toEqual([303, `/programmes/${CODE}/briefing`]);
    } finally {
      if (saved === undefined) delete process.env.CHROMIUM_PATH;
      else process.env.CHROMIUM_PATH = saved;
    }
  });

  pdfIt(
    'downloads without a login; numbered, tagged, 10 pt and more, a full first page, no screen-only words',
    async () => {
      const res = await t.getBytes(`/programmes/${CODE}/briefing.pdf`, { authorization: '' });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.headers['content-disposition']).toBe(`attachment; filename="${CODE}-briefing.pdf"`);
      expect(res.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const pdf = join(dir, 'briefing.pdf');
      writeFileSync(pdf, res.bytes);

      const info = execFileSync('pdfinfo', ['-l', '100', pdf], { encoding: 'utf8' });
      const pages = Number(/^Pages:\s+(\d+)/m.exec(info)![1]);
      // At a glance and funding by source (pages 1-2), on landscape pages the projects table (3)
      // and the deal as agreed beside now (4), the figures that do not agree with their reasons
      // (5-10; each money line also says what the illustrative virement moved within it, as the
      // reconciliation's JSON does), RAG (10-12), spend and late milestones (13-14).
      expect(pages).toBe(14);
      expect(/^Tagged:\s+(\w+)/m.exec(info)![1]).toBe('yes');
      const sizes = [...info.matchAll(/^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts/gm)].map(
        (m) => `${Math.round(Number(m[1]))}x${Math.round(Number(m[2]))}`,
      );
      expect(sizes).toEqual(sizes.map((_, i) => (i === 2 || i === 3 ? '842x595' : '595x842')));

      const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).split('\f').slice(0, pages);
      text.forEach((p, i) => {
        // The footer on every page: what it is, and the page number.
        expect(p.replace(/\s+/g, ' ')).toContain(TITLE);
        expect(p).toMatch(new RegExp(`page ${i + 1} of ${pages}\\s*$`));
      });
      const all = text.join('\n');
      for (const screenOnly of [/see why/i, /hover/i, /click/i]) expect(all).not.toMatch(screenOnly);
      expect(all).toContain('The reasons are under “What the documents say vs');
      expect(all).toContain('tables give exact pounds');
      expect(text[0]).toMatch(/^\s*Illustrative data\./);
      expect(text[0]).toContain('Committee briefing: Stoke-on-Trent and Staffordshire');
      expect(text[2]).toContain('£29,200,000.00');

      const { pages: boxes, words: ws } = words(pdf);
      // poppler's word box is the font size times DejaVu Sans' ascent + descent (0.928 + 0.236):
      // 10 pt text is 11.64 pt tall, 8.5 pt text (the old tables) 9.9.
      const small = ws.filter((w) => w.yMax - w.yMin < 11.6).map((w) => `p${w.page} ${w.text}`);
      expect(small).toEqual([]);
      // The first page is full: its lowest line of body text (above the footer) is in its last quarter.
      const footerTop = boxes[0].height - 45;
      const body1 = ws.filter((w) => w.page === 1 && w.yMax < footerTop);
      expect(Math.max(...body1.map((w) => w.yMax))).toBeGreaterThan(boxes[0].height * 0.75);
    },
    180_000,
  );
});
