import { quarterEnd } from '../../common/fiscal';
import { codeMaps } from '../../programmes/programme-lookup';
import {
  lateSentence,
  milestoneRag,
  milestoneState,
  MilestoneState,
  tallyMilestones,
  thresholdsOf,
} from '../../rag/rag';
import type { ReturnCheck, ReturnContext, SectionProvider, SectionResult } from '../return-document';
import { ColumnSpec, RowInput } from '../../xlsx';
import { Milestone } from '../../milestones/milestone.entity';

const COLUMNS: ColumnSpec[] = [
  { key: 'project', header: 'Project', type: 'text' },
  { key: 'kind', header: 'Kind', type: 'text' },
  { key: 'title', header: 'Milestone', type: 'text', maxWidth: 60 },
  { key: 'baselineDate', header: 'Baseline date', type: 'date' },
  { key: 'forecastDate', header: 'Forecast date', type: 'date' },
  { key: 'actualDate', header: 'Actual date', type: 'date' },
  { key: 'status', header: 'Status at quarter end', type: 'text' },
  { key: 'slipDays', header: 'Slip (days)', type: 'integer' },
  { key: 'rag', header: 'RAG', type: 'text' },
  { key: 'why', header: 'Why', type: 'text', maxWidth: 100 },
];

const STATE_WORDS: Record<MilestoneState, string> = {
  cancelled: 'cancelled',
  complete_on_time: 'complete',
  complete_late: 'complete (late)',
  overdue: 'open: overdue',
  slipped: 'open: slipped',
  on_time: 'open',
  not_recorded: 'not recorded',
  not_judged: 'open',
};

/**
 * Milestones with their RAG and its reason, as at the end of the return's quarter: an actual
 * date after it is not yet history and is not shown. Slipped and overdue milestones are
 * warnings (each needs a written comment).
 */
export class MilestonesSection implements SectionProvider {
  readonly key = 'milestones' as const;

  async build(ctx: ReturnContext): Promise<SectionResult> {
    const { m, programme } = ctx;
    const end = quarterEnd(ctx.quarter);
    const t = thresholdsOf(programme.ragThresholds);
    const codes = (await codeMaps(m, programme.id)).project;
    const all = await m.find(Milestone, { where: { programmeId: programme.id }, order: { id: 'ASC' } });
    const rows: RowInput[] = [];
    const slipped: string[] = [];
    const overdue: string[] = [];
    const named = (x: Milestone) =>
      `${x.projectId ? (codes.get(x.projectId) ?? x.projectId) : 'programme'}: ${x.title}`;
    const sorted = all
      .map((x) => ({ x, project: x.projectId ? (codes.get(x.projectId) ?? String(x.projectId)) : 'PROGRAMME' }))
      .sort(
        (a, b) =>
          (a.project === 'PROGRAMME' ? -1 : 0) - (b.project === 'PROGRAMME' ? -1 : 0) ||
          a.project.localeCompare(b.project) ||
          (a.x.baselineDate ?? '').localeCompare(b.x.baselineDate ?? '') ||
          a.x.id - b.x.id,
      );
    const states: { state: MilestoneState; commitment: boolean }[] = [];
    const completeLate: string[] = [];
    const notRecorded: string[] = [];
    for (const { x, project } of sorted) {
      const actual = x.actualDate && x.actualDate <= end ? x.actualDate : null;
      const commitment = x.projectId === null;
      // A status of complete recorded after the quarter's end is not yet history either.
      const status = x.status === 'complete' && !actual && x.actualDate ? 'open' : x.status;
      const input = {
        baselineDate: x.baselineDate,
        forecastDate: x.forecastDate,
        actualDate: actual,
        reportingQuarterEnd: end,
        status,
        commitment,
      };
      const r = milestoneRag(input, t);
      const { state } = milestoneState(input);
      states.push({ state, commitment });
      rows.push({
        project,
        kind: x.kind,
        title: x.title,
        baselineDate: x.baselineDate,
        forecastDate: x.forecastDate,
        actualDate: actual,
        status: STATE_WORDS[state],
        slipDays: typeof r.numbers.slipDays === 'number' ? r.numbers.slipDays : null,
        rag: r.rag,
        why: r.explanation,
      });
      if (state === 'overdue') overdue.push(`${named(x)} (forecast ${x.forecastDate})`);
      else if (state === 'slipped')
        slipped.push(`${named(x)} (${r.numbers.slipDays} days after the baseline ${x.baselineDate}, ${r.rag})`);
      else if (state === 'complete_late')
        completeLate.push(`${named(x)} (${r.numbers.slipDays} days after the baseline ${x.baselineDate})`);
      else if (state === 'not_recorded') notRecorded.push(`${named(x)} (due ${x.baselineDate})`);
    }
    const tally = tallyMilestones(states);
    const checks: ReturnCheck[] = [];
    if (slipped.length)
      checks.push({
        code: 'MILESTONE_SLIPPED',
        severity: 'warning',
        section: 'milestones',
        message: `${slipped.length} open milestone${slipped.length === 1 ? ' has' : 's have'} slipped against the baseline: ${slipped.join('; ')}. ${lateSentence(tally)}`,
      });
    if (overdue.length)
      checks.push({
        code: 'MILESTONE_OVERDUE',
        severity: 'warning',
        section: 'milestones',
        message: `${overdue.length} milestone${overdue.length === 1 ? "'s" : "s'"} forecast date passed before ${end} with no actual date: ${overdue.join('; ')}. ${lateSentence(tally)}`,
      });
    if (completeLate.length)
      checks.push({
        code: 'MILESTONE_COMPLETED_LATE',
        severity: 'note',
        section: 'milestones',
        message: `${completeLate.length} milestone${completeLate.length === 1 ? ' was' : 's were'} completed after the baseline (blue: complete; the lateness stays in the record): ${completeLate.join('; ')}`,
      });
    if (notRecorded.length)
      checks.push({
        code: 'COMMITMENT_NOT_RECORDED',
        severity: 'note',
        section: 'milestones',
        message: `${notRecorded.length} deal commitment${notRecorded.length === 1 ? ' has' : 's have'} no recorded status (grey "not recorded", counted apart from project milestones): ${notRecorded.join('; ')}`,
      });
    if (all.some((x) => x.source?.illustrative))
      checks.push({
        code: 'ILLUSTRATIVE_MILESTONES',
        severity: 'note',
        section: 'milestones',
        message: 'project milestones include ILLUSTRATIVE demo data that is not from the source documents',
      });
    return { table: { key: 'milestones', title: 'Milestones', sheet: 'Milestones', columns: COLUMNS, rows }, checks };
  }
}
