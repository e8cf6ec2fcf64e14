import type { Page } from 'playwright-core';
import { launchChromium } from '../../src/dashboard/briefing';
import { TestApp } from './test-app';
import { axeFindings } from './page-checks';

export type Browser = Awaited<ReturnType<typeof launchChromium>>;

/** Puts the test app on a free loopback port (browsers need a real socket); its base URL. */
export async function listenForBrowser(t: TestApp): Promise<string> {
  await t.app.listen(0, '127.0.0.1');
  return `http://127.0.0.1:${(t.app.getHttpServer().address() as { port: number }).port}`;
}

/**
 * Closes a test app that a browser still outlives: Chromium keeps its connections alive, and the
 * server would wait for them.
 */
export async function closeForBrowser(t: TestApp | undefined) {
  if (!t) return;
  (t.app.getHttpServer() as import('node:http').Server).closeAllConnections();
  await t.close();
}

/**
 * The checks every staff page in a browser test passes, as a person would meet it: axe-core finds
 * nothing serious or critical, and the page is no wider than the window (no sideways scroll at
 * any width). Each page checked is named in `checked` (`what@width`), so a test can count them.
 * With `alsoAt`, each page is checked again at that window width too (then put back), so one walk
 * covers both a desktop and a phone without walking twice.
 */
export function pageChecks(checked: string[] = [], alsoAt?: number) {
  async function checkAtCurrentWidth(page: Page, what: string) {
    const bad = (await axeFindings(page)).map((f) => `${what}: ${f.id} (${f.impact}) at ${f.where}`);
    expect(bad).toEqual([]);
    const width = page.viewportSize()!.width;
    const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(`${what}: ${scroll}@${width}`).toBe(`${what}: ${width}@${width}`);
    checked.push(`${what}@${width}`);
  }
  return async function check(page: Page, what: string) {
    await checkAtCurrentWidth(page, what);
    if (alsoAt === undefined) return;
    const size = page.viewportSize()!;
    await page.setViewportSize({ width: alsoAt, height: size.height });
    try {
      await checkAtCurrentWidth(page, what);
    } finally {
      await page.setViewportSize(size);
    }
  };
}

/** Signs in through the sign-in page that `next` sends an anonymous visitor to, and lands on `next`. */
export async function signInAt(page: Page, base: string, next: string, email: string, password: string) {
  await page.goto(`${base}${next}`);
  expect(page.url()).toBe(`${base}/manage/sign-in?next=${encodeURIComponent(next)}`);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await page.click('button:has-text("Sign in")');
  expect(page.url()).toBe(`${base}${next}`);
}

/** The id of the element that has the keyboard's focus. */
export const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');

/** Text as a person reads it: runs of white space as one space. */
export const squeeze = (s: string) => s.replace(/\s+/g, ' ').trim();

/** What has the keyboard's focus, as a person would name it: its id, else its text. */
export const focused = (page: Page) =>
  page.evaluate(() => {
    const e = document.activeElement;
    return e?.id || e?.textContent?.replace(/\s+/g, ' ').trim() || e?.tagName || '';
  });

/**
 * Presses Tab (Shift+Tab with `back`) until the focus is on `target` (an id, or a link's or
 * button's text); the stops on the way, `target` last. Fails naming the stops if it never gets
 * there: a keyboard user could not reach it.
 */
export async function tabTo(page: Page, target: string, back = false, max = 60): Promise<string[]> {
  const stops: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    stops.push(await focused(page));
    if (stops[stops.length - 1] === target) return stops;
  }
  throw new Error(`Tab never reached ${target}: ${stops.join(' | ')}`);
}

/**
 * The stops Tab should make through a form, in the order a sighted reader meets them: every
 * enabled box, list (select), text area and button, and each radio group once (at its checked radio, else its
 * first). Named as `focused` names them.
 */
export const formTabOrder = (page: Page, formSelector: string) =>
  page.evaluate((sel) => {
    const seen = new Set<string>();
    const out: string[] = [];
    const els = document.querySelectorAll<HTMLInputElement>(
      `${sel} input:not([type=hidden]):not([disabled]), ${sel} select:not([disabled]), ${sel} textarea, ${sel} button`,
    );
    for (const e of Array.from(els)) {
      if (e.type === 'radio') {
        if (seen.has(e.name)) continue;
        seen.add(e.name);
        const group = Array.from(els).filter((x) => x.type === 'radio' && x.name === e.name);
        const at = group.find((x) => x.checked) ?? group[0];
        out.push(at.id);
        continue;
      }
      out.push(e.id || e.textContent!.replace(/\s+/g, ' ').trim());
    }
    return out;
  }, formSelector);
