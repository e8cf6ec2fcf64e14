/**
 * Phone widths (WCAG 1.4.10 reflow): a page never scrolls sideways. Every wide table and every
 * chart sits in its own scrolling box, reachable by keyboard (tabindex) and named for screen
 * readers, so a 390 px screen scrolls the table or chart, never the page, and chart text is drawn
 * at its own size instead of being shrunk to fit. Applied once to the finished page, so a section
 * added later gets the same treatment without knowing about it; the markup inside is unchanged.
 */
const ALREADY_BOXED = /<div class="scroll"[^>]*>\s*$/;

export function reflow(page: string): string {
  return page
    .replace(/<table\b[\s\S]*?<\/table>/g, (table, at: number, whole: string) => {
      if (ALREADY_BOXED.test(whole.slice(Math.max(0, at - 200), at))) return table;
      const caption = /<caption>([\s\S]*?)<\/caption>/.exec(table)?.[1] ?? '';
      const name = caption
        .replace(/<a class="csv"[\s\S]*?<\/a>/g, '')
        .replace(/<[^>]+>/g, '')
        .replace(/\s+/g, ' ')
        .replace(/"/g, '&quot;')
        .trim();
      return `<div class="scroll" role="region" aria-label="${name || 'Table'}" tabindex="0">${table}</div>`;
    })
    .replace(
      /<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" class="chart" id="chart-([^"]+)"[\s\S]*?<\/svg>/g,
      (svg, id: string) =>
        `<div class="chart-scroll" role="region" aria-labelledby="chart-${id}-title" tabindex="0">${svg}</div>`,
    );
}
