import { In } from 'typeorm';
import { ChangeRequest } from '../../changes/change-request.entity';
import { describeContexts } from '../../changes/describe-context';
import type { ChangeKindRegistry } from '../../changes/kinds/kind';
import type { Programme } from '../../programmes/programme.entity';
import { formatQuantity } from '../../outputs/output-units';
import type { DashboardSection, DashboardSectionProvider, SectionContext } from '../sections';
import {
  decidedChanges,
  deliveredOutputs,
  outputTargets,
  type DecidedChange,
  type MetricInfo,
} from './delivery.queries';

const UNIT_WORDS: Record<string, string> = { count: '', km: ' km', ha: ' ha', m2: ' m²', gbp: ' £' };

/** A stored quantity as people read it: "1,450", "8.50 ha", "2.100 km". */
export function quantity(v: number | null, m: MetricInfo): string {
  if (v === null) return '–';
  const s = String(formatQuantity(v, m));
  const [whole, frac] = s.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${grouped}${frac !== undefined ? `.${frac}` : ''}${UNIT_WORDS[m.unit] ?? ''}`;
}

/** A project's outputs section as its page shows it (the `projectOutputs` macro of views/public/sections.njk). */
export interface ProjectOutputsView {
  name: string;
  /** Each output: its name, and target, latest forecast and delivered so far as people read them. */
  outputs: { code: string; name: string; target: string; forecast: string; delivered: string }[];
  /** Delivered to the end of each submitted quarter, one figure per output (in `outputs` order). */
  quarters: { quarter: string; values: string[] }[];
  closed: boolean;
  reportingQuarter: string;
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
    const view: ProjectOutputsView = {
      name: ctx.project.name,
      outputs: codes.map((c) => {
        const m = metrics.get(c)!;
        const t = targets.find((x) => x.code === c);
        return {
          code: c,
          name: m.name,
          target: quantity(t?.target ?? null, m),
          forecast: quantity(t?.forecast ?? null, m),
          delivered: quantity(total(c), m),
        };
      }),
      quarters: cumulative.map((r) => ({
        quarter: r.quarter,
        values: r.values.map((v, i) => quantity(v, metrics.get(codes[i])!)),
      })),
      closed: ctx.closed,
      reportingQuarter: ctx.reportingQuarter,
    };
    return {
      id: 'project-outputs',
      heading: 'Outputs: jobs, homes and other results',
      view,
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
      // The page lists them as the changes-since page does (the `changeItem` macro of views/public/parts.njk).
      const view = {
        changes: changes.map((c) => ({
          number: c.number,
          state: c.state,
          decidedAt: c.decidedAt,
          decidedQuarter: c.decidedQuarter,
          title: c.title,
          kindLabel: c.kindLabel,
          what: c.what,
          reason: c.reason,
          decisionReason: c.decisionReason,
          illustrative: c.illustrative,
        })),
      };
      return {
        id: 'change-history',
        heading: 'Change history',
        view,
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
