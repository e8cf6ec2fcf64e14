import { EntityManager } from 'typeorm';
import type { Programme } from '../programmes/programme.entity';
import type { ChartData, TimelineData } from './charts';

/**
 * Sections of the public pages beyond the funding ones (spend against profile, RAG summary,
 * jobs and homes delivered, what changed since the last return). DashboardModule composes the
 * list (delivery/delivery-sections.ts); a section with nothing public to show renders nothing:
 * never a placeholder figure.
 */
export type DashboardPage = 'overview' | 'project' | 'briefing';

export interface SectionContext {
  m: EntityManager;
  db: 'sqlite' | 'postgres';
  programme: Programme;
  /** The reporting quarter ("2015-16 Q3"): only submitted, approved figures are public. */
  reportingQuarter: string;
  /**
   * The first quarter not submitted: quarters before it are public. The reporting quarter,
   * except at programme close (every quarter submitted), when it is the quarter after the last.
   */
  submittedBefore: string;
  /** Every quarter's return is submitted: nothing is "not yet submitted". */
  closed: boolean;
  project?: { id: number; code: string; name: string };
  /**
   * Reads shared by the sections of one page (the milestones the RAG and the late-milestones
   * section both use are read once): see `once`.
   */
  memo?: Map<string, Promise<unknown>>;
}

/** A read several sections of one page share, made once per page (ctx.memo) or each time without one. */
export function once<T>(ctx: SectionContext, key: string, read: () => Promise<T>): Promise<T> {
  if (!ctx.memo) return read();
  let p = ctx.memo.get(key) as Promise<T> | undefined;
  if (!p) ctx.memo.set(key, (p = read()));
  return p;
}

/** How a section is shaped once its rows are read. */
export interface ShapeOptions {
  /** Shape the page's view of the section (the JSON route does not: it has no view). */
  view: boolean;
  /**
   * Long lists in the page's view show this many rows, with a link to the full list (the page at
   * ?all=1); unset, every row. The JSON data always holds every row.
   */
  listLimit?: number;
  /** Where the full lists are (the page at ?all=1), for the "all N" links. */
  fullListHref?: string;
}

/** Shapes a section from rows already read: pure, no database (the unit of work has ended). */
export type SectionShaper = (o: ShapeOptions) => DashboardSection | null;

export interface DashboardSection {
  id: string;
  heading: string;
  /**
   * What the page shows of it, for its template (web/views/public/sections.njk picks the macro
   * by `id`; a section with no macro there shows `{ paragraphs: string[] }`, one paragraph
   * each): words and figures, no markup (a chart's SVG and table excepted: charts/figure.ts).
   * Absent when not asked for (ShapeOptions.view false: the JSON route).
   */
  view?: object;
  /** The same numbers as JSON for /api/programmes/:code/overview (pounds as strings). */
  data: unknown;
  /** Charts in the section, served as CSV at .../data/<chart id>.csv. */
  charts?: (ChartData | TimelineData)[];
  illustrative?: boolean;
}

export interface DashboardSectionProvider {
  id: string;
  /** Lower comes first; the built-in funding sections use 100–300. */
  order: number;
  pages: DashboardPage[];
  /**
   * Loads the section with a bounded number of aggregate queries (never one per project).
   * Returns null when there is nothing public to show yet.
   */
  load(ctx: SectionContext, page: DashboardPage): Promise<DashboardSection | null>;
  /**
   * Two phases, for pages that release the database before shaping: the reads (inside the unit
   * of work), then a pure shaper. Providers without it are read and shaped by `load`.
   */
  read?(ctx: SectionContext, page: DashboardPage): Promise<SectionShaper | null>;
}

/** `load` from `read`: read, then shape at once with the page's view. */
export function loadByReading(
  read: (ctx: SectionContext, page: DashboardPage) => Promise<SectionShaper | null>,
): DashboardSectionProvider['load'] {
  return async (ctx, page) => (await read(ctx, page))?.({ view: true }) ?? null;
}

export class DashboardSections {
  private readonly providers: DashboardSectionProvider[] = [];

  constructor(providers: readonly DashboardSectionProvider[] = []) {
    for (const p of providers) this.register(p);
  }

  register(p: DashboardSectionProvider): void {
    if (this.providers.some((x) => x.id === p.id)) throw new Error(`dashboard section "${p.id}" is registered twice`);
    this.providers.push(p);
    this.providers.sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : 1));
  }

  async load(ctx: SectionContext, page: DashboardPage): Promise<DashboardSection[]> {
    const out: DashboardSection[] = [];
    for (const p of this.providers) {
      if (!p.pages.includes(page)) continue;
      const s = await p.load(ctx, page);
      if (s) out.push(s);
    }
    return out;
  }

  /** The reads of every section of a page, in order; shape them after the unit of work ends. */
  async read(ctx: SectionContext, page: DashboardPage): Promise<SectionShaper[]> {
    const out: SectionShaper[] = [];
    for (const p of this.providers) {
      if (!p.pages.includes(page)) continue;
      if (p.read) {
        const s = await p.read(ctx, page);
        if (s) out.push(s);
      } else {
        const s = await p.load(ctx, page);
        if (s) out.push(() => s);
      }
    }
    return out;
  }
}

/** Shapes the sections read by `DashboardSections.read` (the empty ones drop out). */
export function shapeSections(shapers: readonly SectionShaper[], o: ShapeOptions): DashboardSection[] {
  return shapers.flatMap((s) => {
    const x = s(o);
    return x ? [x] : [];
  });
}
