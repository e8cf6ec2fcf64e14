import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

const AXE = readFileSync(join(__dirname, '..', '..', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/** The page's scroll width, any text node drawn under 10 px, and axe's serious or critical findings. */
export async function measure(page: Page): Promise<string> {
  const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
  const small = await page.evaluate(() => {
    const out: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement!;
      if (!n.textContent!.trim() || el.getClientRects().length === 0) continue;
      // SVG text is drawn at its font size times the chart's scale on screen.
      const scale = el instanceof SVGGraphicsElement ? (el.getScreenCTM()?.a ?? 1) : 1;
      const size = Math.round(parseFloat(getComputedStyle(el).fontSize) * scale * 10) / 10;
      if (size < 10) out.push(`${el.tagName} ${size}px "${n.textContent!.trim().slice(0, 30)}"`);
    }
    return out;
  });
  const bad = (await axeFindings(page)).map((f) => f.id);
  return `scroll ${scroll}, smallest text ${small.length ? small.join('; ') : 'ok'}, axe ${bad.length ? bad.join(', ') : 'ok'}`;
}

/** axe-core's serious or critical findings on the page as it stands, each with where it is. */
export async function axeFindings(page: Page): Promise<{ id: string; impact: string; where: string }[]> {
  await page.evaluate(AXE);
  const violations = (await page.evaluate(async () => {
    const r = await (window as unknown as { axe: { run(): Promise<{ violations: unknown[] }> } }).axe.run();
    return r.violations;
  })) as { id: string; impact: string; nodes: { target: string[] }[] }[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, where: v.nodes.map((n) => n.target.join(' ')).join(', ') }));
}
