import { In } from 'typeorm';
import { ChangeRequest } from '../../changes/change-request.entity';
import { describeContexts } from '../../changes/describe-context';
import type { ChangeKindRegistry } from '../../changes/kinds/kind';
import type { Programme } from '../../programmes/programme.entity';
import { formatQuantity } from '../../outputs/output-units';
import { html } from '../html';
import type { DashboardSection, DashboardSectionProvider, SectionContext } from '../sections';
import {
  decidedChanges,
  deliveredOutputs,
  outputTargets,
  type DecidedChange,
  type MetricInfo,
} from './delivery.queries';
import { longDate } from './links';

const UNIT_WORDS: Record<string, string> = { count: '', km: ' km', ha: ' ha', m2: ' m²', gbp: ' £' };

/** A stored quantity as people read it: "1,450", "8.50 ha", "2.100 km". */
export function quantity(v: number | null, m: MetricInfo): string {
  if (v === null) return '–';
  const s = String(formatQuantity(v, m));
  const [whole, frac] = s.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${grouped}${frac !== undefined ? `.${frac}` : ''}${UNIT_WORDS[m.unit] ?? ''}`;
}

/** Project page: output targets, latest forecasts and what was delivered in submitted quarters, cumulatively. */
export const projectOutputsSection: DashboardSectionProvider = {
  id: 'project-outputs',
  order: 600,
  pages: ['project'],
  async load(ctx: SectionContext): Promise<DashboardSection | null> {
    if (!ctx.project) return null;
    const targets = await outputTargets(ctx.m, ctx.project.id);
    const delivered = await deliveredOutputs(ctx.m, ctx.programme.id, { before: ctx.submittedBefore }, ctx.project.id);
    if (!targets.length && !delivered.length) return null;
    const metrics = new Map<string, MetricInfo>([...targets, ...delivered].map((x) => [x.code, x]));
    const total = (code: string) => delivered.filter((d) => d.code === code).reduce((s, d) => s + d.value, 0);
    const quarters = [...new Set(delivered.map((d) => d.quarter))].sort();
    const codes = [...metrics.keys()];
    const illustrative = targets.some((t) => t.illustrative) || delivered.some((d) => d.illustrative);
    const cumulative = quarters.map((q) => ({
      quarter: q,
      values: codes.map((c) =>
        delivered.filter((d) => d.code === c && d.quarter <= q).reduce((s, d) => s + d.value, 0),
      ),
    }));
    const body = html`<table id="project-outputs"><caption>${ctx.project.name}: outputs against targets (delivered counts submitted quarters only)</caption>
<thead><tr><th scope="col">Output</th><th scope="col" class="num">Target</th><th scope="col" class="num">Latest forecast of the final total</th><th scope="col" class="num">Delivered so far</th></tr></thead>
<tbody>${codes.map((c) => {
      const m = metrics.get(c)!;
      const t = targets.find((x) => x.code === c);
      return html`<tr data-metric="${c}"><th scope="row">${m.name}</th><td class="num">${quantity(t?.target ?? null, m)}</td><td class="num">${quantity(t?.forecast ?? null, m)}</td><td class="num">${quantity(total(c), m)}</td></tr>`;
    })}</tbody></table>
${
  quarters.length
    ? html`<table id="project-outputs-cumulative"><caption>Delivered to the end of each submitted quarter (cumulative)</caption><thead><tr><th scope="col">Quarter</th>${codes.map((c) => html`<th scope="col" class="num">${metrics.get(c)!.name}</th>`)}</tr></thead>
<tbody>${cumulative.map((r) => html`<tr><th scope="row">${r.quarter}</th>${r.values.map((v, i) => html`<td class="num">${quantity(v, metrics.get(codes[i])!)}</td>`)}</tr>`)}</tbody></table>`
    : html`<p>Nothing has been delivered yet in a submitted quarter.</p>`
}
<p class="note">${ctx.closed ? `Every quarterly return has been submitted, the last for ${ctx.reportingQuarter}.` : `The quarter ${ctx.reportingQuarter} is not yet submitted: outputs recorded for it are not counted here.`}</p>`;
    return {
      id: 'project-outputs',
      heading: 'Outputs: jobs, homes and other results',
      body,
      illustrative,
      data: codes.map((c) => ({
        metric: c,
        target: targets.find((x) => x.code === c)?.target ?? null,
        forecast: targets.find((x) => x.code === c)?.forecast ?? null,
        delivered: total(c),
      })),
    };
  },
};

/** Plain words for decided change requests: the kind's own sentence (as the change-request list says it), decision, date, reasons. */
export async function describeChanges(
  ctx: { m: SectionContext['m'] },
  programmeId: number,
  kinds: ChangeKindRegistry,
  changes: DecidedChange[],
) {
  if (!changes.length) return [];
  const rows = await ctx.m.find(ChangeRequest, { where: { programmeId, number: In(changes.map((c) => c.number)) } });
  const byNumber = new Map(rows.map((r) => [r.number, r]));
  const contextFor = await describeContexts(ctx.m, { id: programmeId } as Programme, rows, kinds);
  return changes.map((c) => {
    const h = kinds.get(c.kind);
    const row = byNumber.get(c.number);
    let what = c.title;
    try {
      if (h && row) what = h.describe(c.payload, contextFor(row));
    } catch {
      /* an unreadable payload keeps its title */
    }
    return { ...c, kindLabel: h?.label ?? c.kind, what };
  });
}

export type DescribedChange = Awaited<ReturnType<typeof describeChanges>>[number];

export function changeItem(c: DescribedChange) {
  return html`<li data-change="${c.number}" id="change-request-${c.number}"><strong>${longDate(c.decidedAt)}: change request ${c.number} ${c.state === 'approved' ? 'approved' : 'rejected'}</strong>, “${c.title}” (${c.kindLabel}). ${c.what} Reason given: ${c.reason}${c.decisionReason ? html` Decision: ${c.decisionReason}` : ''}${c.decidedQuarter ? html` (decided in ${c.decidedQuarter})` : ''}${c.illustrative ? html` <span class="illustrative">(illustrative)</span>` : ''}</li>`;
}

/** Project page: approved and rejected change requests touching the project, newest first. */
export function changeHistorySection(kinds: ChangeKindRegistry): DashboardSectionProvider {
  return {
    id: 'change-history',
    order: 700,
    pages: ['project'],
    async load(ctx: SectionContext): Promise<DashboardSection | null> {
      if (!ctx.project) return null;
      const changes = await describeChanges(
        ctx,
        ctx.programme.id,
        kinds,
        await decidedChanges(ctx.m, ctx.programme.id, { projectId: ctx.project.id }),
      );
      const body = changes.length
        ? html`<ul class="changes" id="change-history">${changes.map(changeItem)}</ul><p class="note">Only decided change requests are shown; proposals still being drafted or awaiting a decision are not.</p>`
        : html`<p id="change-history">No change request touching this project has been approved or rejected.</p>`;
      return {
        id: 'change-history',
        heading: 'Change history',
        body,
        data: changes.map((c) => ({
          number: c.number,
          kind: c.kind,
          state: c.state,
          decidedAt: c.decidedAt,
          decidedQuarter: c.decidedQuarter,
          title: c.title,
          what: c.what,
          reason: c.reason,
          decisionReason: c.decisionReason,
          illustrative: c.illustrative,
        })),
      };
    },
  };
}
