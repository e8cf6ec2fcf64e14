import { EntityManager } from 'typeorm';
import type { Programme } from '../programmes/programme.entity';
import type { ChartData, TimelineData } from './charts';
import type { Html } from './html';

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
}

export interface DashboardSection {
  id: string;
  heading: string;
  /** Rendered body (build it with html``, which escapes). */
  body: Html;
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
}
