import { parseQuarter, quarterEnd } from '../../common/fiscal';
import { timelineFigureView, type TimelineData } from '../charts';
import {
  loadByReading,
  once,
  type DashboardSection,
  type DashboardSectionProvider,
  type SectionContext,
  type SectionShaper,
  type ShapeOptions,
} from '../sections';
import { lateSentence, milestoneLateness, milestoneState, tallyMilestones, type MilestoneTally } from '../../rag/rag';
import { milestoneRows, type MilestoneRow } from './delivery.queries';
import { csvHref, longDate, projectHref } from './links';

export interface LateMilestone {
  project: string;
  projectName: string;
  title: string;
  baselineDate: string;
  /** The actual date when done, else the forecast. */
  latestDate: string | null;
  done: boolean;
  daysLate: number;
  /** The forecast date has passed (before the end of the reporting quarter) with no actual date. */
  overdue: boolean;
}

/**
 * Pure: milestones that slipped past their baseline, or whose forecast passed with nothing done,
 * and those completed late (kept as history, marked done); latest first. Each carries its state
 * from rag/, so the counts here and in the return are one count.
 */
export function lateMilestones(rows: readonly MilestoneRow[], reportingQuarterEnd: string): LateMilestone[] {
  const out: LateMilestone[] = [];
  for (const r of rows) {
    if (!r.baselineDate) continue;
    const late = milestoneLateness(stateInput(r, reportingQuarterEnd));
    if (!late) continue;
    const { state } = late;
    const latest = r.actualDate ?? r.forecastDate;
    out.push({
      project: r.projectCode ?? '',
      projectName: r.projectName ?? '',
      title: r.title,
      baselineDate: r.baselineDate,
      latestDate: latest,
      done: state === 'complete_late',
      daysLate: late.daysLate!,
      overdue: state === 'overdue',
    });
  }
  return out.sort(
    (a, b) => b.daysLate - a.daysLate || a.project.localeCompare(b.project) || a.title.localeCompare(b.title),
  );
}

function stateInput(r: MilestoneRow, reportingQuarterEnd: string) {
  return {
    baselineDate: r.baselineDate,
    forecastDate: r.forecastDate,
    actualDate: r.actualDate,
    reportingQuarterEnd,
    status: r.status as 'open' | 'complete' | 'cancelled',
    commitment: r.projectCode === null,
  };
}

/** The one tally of rag/ over the rows (project milestones; commitments when the rows hold them). */
export function milestoneTallyOf(rows: readonly MilestoneRow[], reportingQuarterEnd: string): MilestoneTally {
  return tallyMilestones(
    rows.map((r) => ({
      state: milestoneState(stateInput(r, reportingQuarterEnd)).state,
      commitment: r.projectCode === null,
    })),
  );
}

function words(l: LateMilestone, rqEnd: string): string {
  if (l.done)
    return `Done on ${longDate(l.latestDate)}, ${l.daysLate} days after the baseline date (complete: blue, not counted as late).`;
  if (l.overdue)
    return `Forecast ${longDate(l.latestDate)} has passed with no completion recorded by ${longDate(rqEnd)}; it was ${l.daysLate} days after the baseline date.`;
  return `Now expected on ${longDate(l.latestDate)}, ${l.daysLate} days after the baseline date.`;
}

/** The late-milestones section as the page shows it (the `lateMilestones` macro of views/public/sections.njk). */
export interface LateMilestonesView {
  /** How many are late, overdue and slipped, in a sentence (rag/'s words, the return's count). */
  sentence: string;
  closed: boolean;
  reportingQuarter: string;
  /** The rows shown, most days late first; `cut`: only the first `rows.length` of `late`. */
  rows: {
    href: string;
    projectName: string;
    title: string;
    baselineDate: string;
    /** The actual date when done, else the forecast (a dash when there is none). */
    latestDate: string;
    done: boolean;
    daysLate: number;
    words: string;
  }[];
  late: number;
  cut: boolean;
  allHref: string;
}

/** A project's milestones section as its page shows it (the `projectMilestones` macro). */
export interface ProjectMilestonesView {
  /** The late ones in a sentence, else null (all on or before their baseline dates). */
  sentence: string | null;
  late: { title: string; daysLate: number; done: boolean }[];
  milestones: number;
  figure: ReturnType<typeof timelineFigureView>;
}

/** Overview and briefing: milestones that have slipped, with baseline, latest date and days late. */
async function readLateMilestones(ctx: SectionContext): Promise<SectionShaper | null> {
  // Read once for the page: the RAG section rates the same milestones.
  const rows = await once(ctx, 'milestones', () => milestoneRows(ctx.m, ctx.programme.id));
  if (!rows.length) return null;
  const c = { reportingQuarter: ctx.reportingQuarter, closed: ctx.closed, programmeCode: ctx.programme.code };
  return (o) => shapeLateMilestones(rows, c, o);
}

/** Pure: the late-milestones section from the programme's milestone rows (the JSON's data holds every one). */
export function shapeLateMilestones(
  rows: readonly MilestoneRow[],
  c: { reportingQuarter: string; closed: boolean; programmeCode: string },
  o: ShapeOptions,
): DashboardSection {
  const { reportingQuarter, closed, programmeCode } = c;
  const rqEnd = quarterEnd(parseQuarter(reportingQuarter));
  const late = lateMilestones(rows, rqEnd);
  const tally = milestoneTallyOf(rows, rqEnd);
  const illustrative = rows.some((r) => r.illustrative);
  const shown = o.listLimit !== undefined && late.length > o.listLimit ? late.slice(0, o.listLimit) : late;
  const view: LateMilestonesView | undefined = !o.view
    ? undefined
    : {
        sentence: lateSentence(tally),
        closed,
        reportingQuarter,
        rows: shown.map((l) => ({
          href: projectHref(programmeCode, l.project),
          projectName: l.projectName,
          title: l.title,
          baselineDate: l.baselineDate,
          latestDate: l.latestDate ?? '–',
          done: l.done,
          daysLate: l.daysLate,
          words: words(l, rqEnd),
        })),
        late: late.length,
        cut: shown.length < late.length,
        allHref: `${o.fullListHref ?? ''}#section-late-milestones`,
      };
  return {
    id: 'late-milestones',
    heading: 'Late milestones',
    view,
    illustrative,
    data: { milestones: rows.length, late, tally },
  };
}

export const lateMilestonesSection: DashboardSectionProvider = {
  id: 'late-milestones',
  order: 500,
  pages: ['overview', 'briefing'],
  read: readLateMilestones,
  load: loadByReading(readLateMilestones),
};

/** Project page: the milestone timeline (baseline, forecast, actual) with its table and CSV. */
export const projectMilestonesSection: DashboardSectionProvider = {
  id: 'project-milestones',
  order: 500,
  pages: ['project'],
  async load(ctx: SectionContext): Promise<DashboardSection | null> {
    if (!ctx.project) return null;
    const rows = await milestoneRows(ctx.m, ctx.programme.id, ctx.project.id);
    if (!rows.length) return null;
    const illustrative = rows.some((r) => r.illustrative);
    const chart: TimelineData = {
      id: 'milestones',
      title: `${ctx.project.name}: milestones, baseline against forecast and actual`,
      description:
        'Each row is a milestone: the open diamond is its baseline date, the circle its latest forecast and the square the date it was done; a line shows any slip.',
      rows: rows.map((r) => ({
        key: String(r.id),
        label: r.title,
        baseline: r.baselineDate,
        forecast: r.forecastDate,
        actual: r.actualDate,
      })),
      illustrative,
    };
    const rqEnd = quarterEnd(parseQuarter(ctx.reportingQuarter));
    const late = lateMilestones(rows, rqEnd);
    const view: ProjectMilestonesView = {
      sentence: late.length ? lateSentence(milestoneTallyOf(rows, rqEnd)) : null,
      late: late.map((l) => ({ title: l.title, daysLate: l.daysLate, done: l.done })),
      milestones: rows.length,
      figure: timelineFigureView(chart, csvHref(ctx, chart.id)),
    };
    return {
      id: 'project-milestones',
      heading: 'Milestones',
      view,
      charts: [chart],
      illustrative,
      data: { milestones: chart.rows, late },
    };
  },
};
