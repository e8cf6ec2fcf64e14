import type { AgreedLine, AgreedLineView } from '../../changes/agreed.queries';
import { agreedFigures } from '../../changes/agreed.queries';
import { exactPence } from '../../common/money';
import type { LineAgreed } from '../../reconciliation/engine/report';
import { figureView, type ChartData } from '../../dashboard/charts';
import type { DashboardSection } from '../../dashboard/sections';

/** One agreed-vs-now line as the `agreedLine` macro (views/public/parts.njk) shows it. */
export function agreedView(l: AgreedLine | AgreedLineView, changeHref: (n: number) => string) {
  const f = agreedFigures(l);
  return {
    agreed: f.agreed,
    now: f.now,
    change: f.change,
    agreedPence: l.agreedPence,
    nowPence: l.nowPence,
    changed: l.changed,
    illustrative: l.illustrative,
    links: l.changes.map((c) => ({ number: c.number, href: changeHref(c.number) })),
    // Requests moved money within the line, and it adds up to what was agreed.
    within: false,
  };
}

/**
 * A reconciliation line's figure as agreed beside now (the JSON's `agreedVsNow`), as the
 * `agreedLine` macro shows it: null where the line has no figure to set beside it (a year the
 * unprofiled money cannot be split into, or not a comparison with the allocations). Each request
 * links to where it is listed: the page of the first project it moved, else `elsewhere`.
 */
export function lineAgreedView(
  a: LineAgreed | undefined,
  illustrative: boolean,
  changeHref: (n: number, project: string | null) => string,
) {
  if (!a || a.agreed === null || a.now === null) return null;
  const f = agreedFigures({ agreedPence: a.agreed, nowPence: a.now, deltaPence: a.change } as AgreedLine);
  const changed = a.changeRequests.length > 0;
  return {
    agreed: f.agreed,
    now: f.now,
    change: f.change,
    agreedPence: a.agreed,
    nowPence: a.now,
    changed,
    illustrative,
    links: a.changeRequests.map((c) => ({
      number: c.number,
      href: changeHref(c.number, c.moves.find((m) => m.project !== null)?.project ?? null),
    })),
    within: changed && exactPence(a.change) === 0n,
  };
}

/** A chart as the `chartFigure` macro shows it (charts/figure.ts says why its SVG and table stay TypeScript). */
export function chartFigureView(c: ChartData, csvHref: string, orientation: 'h' | 'v' = 'h') {
  return figureView(c, csvHref, orientation);
}

/** A delivery section: its heading and mark, and its view for the section's macro (views/public/sections.njk). */
export function sectionView(s: DashboardSection) {
  return { id: s.id, heading: s.heading, illustrative: !!s.illustrative, view: s.view };
}
