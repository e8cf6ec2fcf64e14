import { Project } from '../../projects/project.entity';
import type { RagResult } from '../../rag/rag';
import { ragOf, type RagService } from '../../rag/rag.service';
import {
  loadByReading,
  once,
  type DashboardSection,
  type DashboardSectionProvider,
  type SectionContext,
  type SectionShaper,
  type ShapeOptions,
} from '../sections';
import { anyIllustrativeDelivery, milestoneRows } from './delivery.queries';
import { projectHref } from './links';

export const RAG_WORDS: Record<string, string> = {
  green: 'Green: on track',
  amber: 'Amber: at risk',
  red: 'Red: off track',
  blue: 'Blue: complete',
  grey: 'Grey: not recorded',
  none: 'Not rated',
};
const ORDER = ['red', 'amber', 'green', 'blue', 'grey', 'none'];

type ProjectRag = Awaited<ReturnType<RagService['compute']>>['projects'][number];

/** Pure: why a project has its overall RAG, in plain words (the parts that made it, or the override's reason). */
export function ragWhy(p: ProjectRag): string {
  const o = p.overall as RagResult & { computed: string; overridden: boolean };
  if (o.overridden) {
    const reason = o.explanation.replace(/^overridden to \w+ \(computed \w+\): /, '');
    return `Set to ${o.rag} by the programme team (the rules alone give ${o.computed}). Their reason: ${reason}`;
  }
  const status = (o.numbers as { projectStatus?: string }).projectStatus;
  if (o.rag === 'none' && status === 'withdrawn')
    return 'Withdrawn: a withdrawn project has no rating (what it spent stays counted as spent).';
  if (o.rag === 'none')
    return 'Nothing can be judged yet: no spend profile, dated milestones or output targets for this project.';
  if (o.rag === 'blue' && status === 'complete') return 'Complete: a completed project is blue.';
  const parts: [string, RagResult][] = [
    ['Spend', p.finance],
    ['Milestones', p.milestones],
    ['Outputs', p.outputs],
  ];
  return parts
    .filter(([, r]) => r.rag === o.rag)
    .map(
      ([name, r]) =>
        `${name} ${r.rag}: ${plain(r.explanation.replace(/^\d+ red, \d+ amber, \d+ green, \d+ blue \(complete\); worst: /, ''))}.`,
    )
    .join(' ');
}

const METRIC_WORDS: Record<string, string> = {
  JOBS_CREATED: 'jobs created',
  JOBS_SAFEGUARDED: 'jobs safeguarded',
  HOMES_COMPLETED: 'homes completed',
  HOMES_STARTED: 'homes started',
  FLOORSPACE: 'commercial floorspace (m²)',
  SITE_AREA: 'employment land (ha)',
  ROAD_NEW: 'new road (km)',
  ROAD_IMPROVED: 'road improved (km)',
  LEARNERS: 'learners',
  APPRENTICES: 'apprenticeships',
  LEARNING_FLOORSPACE: 'learning floorspace (m²)',
  PRIVATE_INVESTMENT: 'private investment',
};

/** Rule text made readable: metric codes in words, pounds with thousands separators. */
export function plain(s: string): string {
  return s
    .replace(/£(-?\d+)\.(\d\d)/g, (_, w: string, f: string) => `£${w.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${f}`)
    .replace(/\b[A-Z][A-Z_]{3,}\b/g, (c) => METRIC_WORDS[c] ?? c);
}

/** A rating as its badge shows it (the `ragBadge` macro): the colour and its words. */
export interface RagBadge {
  rag: string;
  words: string;
}

const badge = (rag: string): RagBadge => ({ rag, words: RAG_WORDS[rag] ?? rag });

/** One project's RAG section as its page shows it (the `projectRag` macro of views/public/sections.njk). */
export interface ProjectRagView {
  name: string;
  overall: RagBadge;
  why: string;
  /** Each part (spend, its three checks, milestones, outputs): its rating and why, in plain words. */
  parts: { name: string; badge: RagBadge; why: string }[];
  reportingQuarter: string;
}

/** The programme's RAG section as the page shows it (the `ragSummary` macro). */
export interface RagSummaryView {
  /** How many projects have each rating, worst first (the ratings none has left out). */
  counts: { count: number; words: string }[];
  projects: number;
  /** The rows shown, worst first; `cut`: only the first of them (the full list is at `allHref`). */
  rows: {
    code: string;
    name: string;
    href: string;
    overall: RagBadge;
    overridden: boolean;
    why: string;
    finance: string;
    milestones: string;
    outputs: string;
  }[];
  cut: boolean;
  allHref: string;
  reportingQuarter: string;
}

/** Project RAG summary (overview, briefing) and one project's RAG with why (project page). */
export function ragSection(rag: RagService): DashboardSectionProvider {
  const read = async (ctx: SectionContext): Promise<SectionShaper | null> => {
    const only = ctx.project ? await ctx.m.findOneByOrFail(Project, { id: ctx.project.id }) : undefined;
    // The programme's milestones are read once for the page (the late-milestones section uses them too).
    const milestones = ctx.project
      ? undefined
      : await once(ctx, 'milestones', () => milestoneRows(ctx.m, ctx.programme.id));
    const inputs = await rag.read(ctx.m, ctx.programme, only, milestones && { milestones });
    const illustrative =
      ctx.programme.synthetic || (await anyIllustrativeDelivery(ctx.m, ctx.db, ctx.programme.id, ctx.project?.id));
    const names = new Map(inputs.projects.map((p) => [p.code, p.name ?? p.code]));
    const programmeCode = ctx.programme.code;
    const project = ctx.project;
    return (o) => shapeRag(ragOf(inputs), { programmeCode, project, names, illustrative }, o);
  };
  return { id: 'rag', order: 300, pages: ['overview', 'briefing', 'project'], read, load: loadByReading(read) };
}

/** Pure: the RAG section from the computed ratings (HTML only when asked; long lists cut to the limit). */
export function shapeRag(
  r: ReturnType<typeof ragOf>,
  ctx: {
    programmeCode: string;
    project?: { id: number; code: string; name: string };
    names: ReadonlyMap<string, string>;
    illustrative: boolean;
  },
  o: ShapeOptions,
): DashboardSection | null {
  if (
    !r.projects.some(
      (p) =>
        p.finance.rag !== 'none' || p.milestones.rag !== 'none' || p.outputs.rag !== 'none' || p.overall.rag !== 'none',
    )
  )
    return null;
  const { illustrative, names } = ctx;
  const counts = Object.fromEntries(ORDER.map((k) => [k, 0]));
  for (const p of r.projects) counts[p.overall.rag] = (counts[p.overall.rag] ?? 0) + 1;
  const data = r.projects.map((p) => ({
    project: p.project,
    overall: p.overall.rag,
    overridden: (p.overall as { overridden?: boolean }).overridden ?? false,
    finance: p.finance.rag,
    milestones: p.milestones.rag,
    outputs: p.outputs.rag,
    why: ragWhy(p),
  }));
  if (ctx.project) {
    const p = r.projects[0];
    const parts: [string, RagResult][] = [
      ['Spend', p.finance],
      ['Spend: overspend', p.finance.parts.overspend],
      ['Spend: risk to spend', p.finance.parts.riskToSpend],
      ['Spend: slippage', p.finance.parts.slippage],
      ['Milestones', p.milestones],
      ['Outputs', p.outputs],
    ];
    const view: ProjectRagView | undefined = !o.view
      ? undefined
      : {
          name: ctx.project.name,
          overall: badge(p.overall.rag),
          why: ragWhy(p),
          parts: parts.map(([name, x]) => ({ name, badge: badge(x.rag), why: plain(x.explanation) })),
          reportingQuarter: r.reportingQuarter,
        };
    return { id: 'rag', heading: 'Red, amber, green rating', view, data: data[0], illustrative };
  }
  const section = {
    id: 'rag',
    heading: 'Projects at a glance: red, amber, green',
    data: { counts, projects: data },
    illustrative,
  };
  if (!o.view) return section;
  const rows = [...r.projects].sort(
    (a, b) => ORDER.indexOf(a.overall.rag) - ORDER.indexOf(b.overall.rag) || a.project.localeCompare(b.project),
  );
  const shown = o.listLimit !== undefined && rows.length > o.listLimit ? rows.slice(0, o.listLimit) : rows;
  const view: RagSummaryView = {
    counts: ORDER.filter((k) => counts[k]).map((k) => ({ count: counts[k], words: RAG_WORDS[k].toLowerCase() })),
    projects: r.projects.length,
    rows: shown.map((p) => ({
      code: p.project,
      name: names.get(p.project) ?? p.project,
      href: projectHref(ctx.programmeCode, p.project),
      overall: badge(p.overall.rag),
      overridden: (p.overall as { overridden?: boolean }).overridden ?? false,
      why: ragWhy(p),
      finance: p.finance.rag,
      milestones: p.milestones.rag,
      outputs: p.outputs.rag,
    })),
    cut: shown.length < rows.length,
    allHref: `${o.fullListHref ?? ''}#section-rag`,
    reportingQuarter: r.reportingQuarter,
  };
  return { ...section, view };
}
