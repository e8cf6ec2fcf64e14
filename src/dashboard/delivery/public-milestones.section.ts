import { parseQuarter, quarterEnd } from '../../common/fiscal';
import { timelineChart, timelineTable, type TimelineData } from '../charts';
import { html, raw } from '../html';
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
  const body = !o.view
    ? raw('')
    : html`<p>${lateSentence(tally)} The quarterly return counts the same milestones: its overdue check is the overdue ones, its slipped check the slipped ones; completed milestones are blue however late. ${closed ? `Dates are as recorded at the final quarter ${reportingQuarter}, whose return has been submitted.` : `Dates are as recorded at the reporting quarter ${reportingQuarter}, which is not yet submitted.`}</p>
${
  late.length
    ? html`<table id="late-milestones"><caption>${shown.length < late.length ? `The ${shown.length} most days late of ${late.length} milestones late, or completed late` : 'Milestones late, or completed late (latest first)'}</caption><thead><tr><th scope="col">Project</th><th scope="col">Milestone</th><th scope="col">Baseline date</th><th scope="col">Forecast or actual date</th><th scope="col" class="num">Days late</th><th scope="col">In plain words</th></tr></thead>
<tbody>${shown.map((l) => html`<tr><th scope="row"><a href="${projectHref(programmeCode, l.project)}">${l.projectName}</a></th><td>${l.title}</td><td>${l.baselineDate}</td><td>${l.latestDate ?? '–'}${l.done ? ' (actual)' : ' (forecast)'}</td><td class="num">${l.daysLate}</td><td>${words(l, rqEnd)}</td></tr>`)}</tbody></table>${shown.length < late.length ? html`<p class="more" id="late-milestones-all"><a href="${o.fullListHref ?? ''}#section-late-milestones">All ${late.length} milestones late, or completed late</a> (a long page: every list in full).</p>` : ''}`
    : ''
}`;
  return {
    id: 'late-milestones',
    heading: 'Late milestones',
    body,
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
    const body = html`<p>${late.length ? `${lateSentence(milestoneTallyOf(rows, rqEnd))} ${late.map((l) => `${l.title} (${l.daysLate} days${l.done ? ', complete' : ''})`).join('; ')}.` : `All ${rows.length} milestones are on or before their baseline dates.`}</p>
<figure aria-labelledby="fig-milestones"><figcaption id="fig-milestones"><strong>${chart.title}</strong>${illustrative ? html` <span class="illustrative">(illustrative)</span>` : ''}</figcaption>${raw(timelineChart(chart))}
<ul class="legend"><li>◇ baseline</li><li>● forecast</li><li>■ actual</li></ul>${timelineTable(chart, csvHref(ctx, chart.id))}</figure>`;
    return {
      id: 'project-milestones',
      heading: 'Milestones',
      body,
      charts: [chart],
      illustrative,
      data: { milestones: chart.rows, late },
    };
  },
};
