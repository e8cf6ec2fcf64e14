import { EntityManager, In, IsNull } from 'typeorm';
import { Actor } from '../../auth/actor';
import { IsDefined } from 'class-validator';
import { IsCalendarDate } from '../../common/fiscal.validators';
import { slipBetween } from '../../rag/rag';
import { Milestone } from '../../milestones/milestone.entity';
import { milestoneDateProblems } from '../../milestones/milestone-dates';
import { MilestonesService } from '../../milestones/milestones.service';
import { OutputMetric, OutputTarget } from '../../outputs/output.entities';
import { formatQuantity, parseQuantity } from '../../outputs/output-units';
import { OutputsService } from '../../outputs/outputs.service';
import { Programme } from '../../programmes/programme.entity';
import { longDate, verb } from '../describe-context';
import {
  ApplyResult,
  ApprovedWrites,
  ChangeKindHandler,
  ChangeProblem,
  DescribeContext,
  PayloadReferences,
  ProgrammeLevel,
} from './kind';
import { Code, Id, invalid, ListOf, validatePayload } from './payload-validation';
import { projectsByCode, unknownProject } from './references';

class MilestoneDateDto {
  @Id() id: number;
  @IsCalendarDate({ message: 'must be a calendar date YYYY-MM-DD' }) baselineDate: string;
}

export class RebaselineMilestonePayload {
  @ListOf(() => MilestoneDateDto, 1, 50) milestones: MilestoneDateDto[];
}

function parseMilestones(payload: unknown) {
  const { value, problems } = validatePayload(RebaselineMilestonePayload, payload);
  const lines: { id: number; baselineDate: string; field: string }[] = [];
  const seen = new Set<number>();
  value?.milestones.forEach(({ id, baselineDate }, i) => {
    const field = `payload.milestones[${i}]`;
    if (seen.has(id)) problems.push(invalid(`${field}.id`, `milestone ${id} appears twice`));
    seen.add(id);
    lines.push({ id, baselineDate, field });
  });
  return { lines, problems };
}

function slip(from: string | null, to: string): string {
  const d = slipBetween(from, to);
  return !d ? '' : ` (${Math.abs(d)} day${Math.abs(d) === 1 ? '' : 's'} ${d > 0 ? 'later' : 'earlier'})`;
}

/**
 * Re-baseline milestones: new approved baseline dates for one or more milestones (the change
 * request carries the reason). Applied through MilestonesService.rebaseline, so the RAG and its
 * "why" follow the new baseline at once.
 */
export class RebaselineMilestoneKind implements ChangeKindHandler<RebaselineMilestonePayload> {
  readonly kind = 'rebaseline_milestone';
  readonly label = 'Re-baseline milestones: new approved baseline dates';

  constructor(private readonly milestones: MilestonesService) {}

  async validate(m: EntityManager, programme: Programme, payload: unknown): Promise<ChangeProblem[]> {
    const { lines, problems } = parseMilestones(payload);
    if (problems.length) return problems;
    const rows = new Map(
      (await m.find(Milestone, { where: { programmeId: programme.id, id: In(lines.map((l) => l.id)) } })).map((x) => [
        x.id,
        x,
      ]),
    );
    for (const l of lines) {
      const x = rows.get(l.id);
      if (!x) {
        problems.push({
          field: `${l.field}.id`,
          problem: `milestone ${l.id} does not exist in this programme`,
          code: 'UNKNOWN_REFERENCE',
        });
        continue;
      }
      if (x.status === 'cancelled')
        problems.push({
          field: `${l.field}.id`,
          problem: `milestone ${l.id} (${x.title}) is cancelled`,
          code: 'MILESTONE_CANCELLED',
        });
      if (x.baselineDate === l.baselineDate)
        problems.push({
          field: `${l.field}.baselineDate`,
          problem: `${l.baselineDate} is already the baseline of milestone ${l.id}`,
          code: 'NO_CHANGE',
        });
      for (const d of milestoneDateProblems(
        programme,
        x.projectId !== null,
        { baselineDate: l.baselineDate },
        programme.endsOn,
      ))
        problems.push({ field: `${l.field}.baselineDate`, problem: d.problem, code: d.code });
    }
    return problems;
  }

  async apply(
    m: EntityManager,
    _p: Programme,
    payload: RebaselineMilestonePayload,
    actor: Actor,
    writes: ApprovedWrites,
  ): Promise<ApplyResult> {
    const before: unknown[] = [];
    const after: unknown[] = [];
    for (const l of parseMilestones(payload).lines) {
      const r = await this.milestones.rebaseline(m, actor, l.id, l.baselineDate, {
        changeRequest: writes.changeNumber,
      });
      before.push(r.before);
      after.push(r.after);
    }
    return { before: { milestones: before }, after: { milestones: after } };
  }

  /** "Re-baselined Local Sustainable Transport Package’s “Main contract awarded” from 29 July 2016 to 30 September 2016 (63 days later)." */
  describe(payload: RebaselineMilestonePayload, ctx: DescribeContext): string {
    const recorded = (ctx.before as { milestones?: { id: number; baselineDate: string | null }[] } | null)?.milestones;
    const parts = parseMilestones(payload).lines.map((l) => {
      const x = ctx.milestone(l.id);
      const from = ctx.done ? (recorded?.find((r) => r.id === l.id)?.baselineDate ?? null) : (x?.baselineDate ?? null);
      const whose = x
        ? `${x.project ? `${ctx.projectName(x.project)}’s` : 'the programme’s'} “${x.title}”`
        : `milestone ${l.id}`;
      return `${whose} from ${longDate(from)} to ${longDate(l.baselineDate)}${slip(from, l.baselineDate)}`;
    });
    return `${verb(ctx, 'Re-baseline', 'Re-baselined')} ${parts.join('; ')}.`;
  }

  references(payload: RebaselineMilestonePayload): PayloadReferences {
    return { milestones: parseMilestones(payload).lines.map((l) => l.id) };
  }

  async projectIds(m: EntityManager, programme: Programme, payload: RebaselineMilestonePayload): Promise<number[]> {
    const ids = parseMilestones(payload).lines.map((l) => l.id);
    if (!ids.length) return [];
    const rows = await m.find(Milestone, { where: { programmeId: programme.id, id: In(ids) } });
    return rows.flatMap((x) => (x.projectId ? [x.projectId] : []));
  }
}

/** A project's target, or (project left out) the programme's own target for the metric. */
class TargetDto {
  @Code({ optional: true }) project?: string | null;
  @Code() metric: string;
  /** In the metric's unit: read against the metric once it is known. */
  @IsDefined({ message: 'is required' }) target: number | string;
}

export class RebaselineTargetPayload {
  @ListOf(() => TargetDto, 1, 50) targets: TargetDto[];
}

function parseTargets(payload: unknown) {
  const { value, problems } = validatePayload(RebaselineTargetPayload, payload);
  const lines: { project: string | null; metric: string; raw: unknown; field: string }[] = [];
  const seen = new Set<string>();
  value?.targets.forEach((x, i) => {
    const field = `payload.targets[${i}]`;
    const project = x.project ?? null;
    const key = `${project ?? ''}|${x.metric}`;
    if (seen.has(key)) problems.push(invalid(field, `${project ?? 'the programme'} ${x.metric} appears twice`));
    seen.add(key);
    lines.push({ project, metric: x.metric, raw: x.target, field });
  });
  return { lines, problems };
}

/**
 * Re-baseline output targets: new target values in the metric's unit. Applied through
 * OutputsService.rebaselineTarget. A target not yet set is set directly, not re-baselined.
 */
export class RebaselineTargetKind implements ChangeKindHandler<RebaselineTargetPayload> {
  readonly kind = 'rebaseline_target';
  readonly label = 'Re-baseline output targets: new target values';

  constructor(private readonly outputs: OutputsService) {}

  /** Each line's target row and parsed value, or the problems. */
  private async resolve(m: EntityManager, programme: Programme, payload: unknown) {
    const { lines, problems } = parseTargets(payload);
    const out: { row: OutputTarget; value: number; metric: OutputMetric; project: string | null }[] = [];
    if (problems.length) return { out, problems };
    const metrics = new Map(
      (await m.find(OutputMetric, { where: { code: In([...new Set(lines.map((l) => l.metric))]) } })).map((x) => [
        x.code,
        x,
      ]),
    );
    const projects = await projectsByCode(
      m,
      programme.id,
      lines.flatMap((l) => (l.project ? [l.project] : [])),
    );
    for (const l of lines) {
      const x = metrics.get(l.metric);
      if (!x) {
        problems.push({
          field: `${l.field}.metric`,
          problem: `output metric "${l.metric}" does not exist`,
          code: 'UNKNOWN_REFERENCE',
        });
        continue;
      }
      const p = l.project ? projects.get(l.project) : null;
      if (l.project && !p) {
        problems.push(unknownProject(l.project, `${l.field}.project`));
        continue;
      }
      const q = parseQuantity(l.raw, x, `${l.field}.target`);
      if ('problem' in q) {
        problems.push({ ...q.problem, code: 'INVALID' });
        continue;
      }
      const row = await m.findOne(OutputTarget, {
        where: { programmeId: programme.id, projectId: p ? p.id : IsNull(), metricCode: x.code },
      });
      if (!row || row.targetValue === null) {
        problems.push({
          field: `${l.field}.metric`,
          problem: `${l.project ?? 'the programme'} has no ${x.code} target yet: set it directly (a re-baseline changes an existing target)`,
          code: 'NO_TARGET',
        });
        continue;
      }
      if (row.targetValue === q.value) {
        problems.push({
          field: `${l.field}.target`,
          problem: `${formatQuantity(q.value, x)} is already the target`,
          code: 'NO_CHANGE',
        });
        continue;
      }
      out.push({ row, value: q.value, metric: x, project: l.project });
    }
    return { out, problems };
  }

  async validate(m: EntityManager, programme: Programme, payload: unknown): Promise<ChangeProblem[]> {
    return (await this.resolve(m, programme, payload)).problems;
  }

  async apply(
    m: EntityManager,
    programme: Programme,
    payload: RebaselineTargetPayload,
    actor: Actor,
    writes: ApprovedWrites,
  ): Promise<ApplyResult> {
    const { out } = await this.resolve(m, programme, payload);
    const before: unknown[] = [];
    const after: unknown[] = [];
    for (const t of out) {
      const r = await this.outputs.rebaselineTarget(m, actor, t.row.id, t.value, {
        changeRequest: writes.changeNumber,
      });
      const side = (g: OutputTarget) => ({
        project: t.project,
        metric: t.metric.code,
        unit: t.metric.unit,
        target: g.targetValue === null ? null : formatQuantity(g.targetValue, t.metric),
      });
      before.push(side(r.before));
      after.push(side(r.after));
    }
    return { before: { targets: before }, after: { targets: after } };
  }

  describe(payload: RebaselineTargetPayload, ctx: DescribeContext): string {
    const recorded = (
      ctx.before as { targets?: { project: string | null; metric: string; target: string | number | null }[] } | null
    )?.targets;
    const unit = (u: string) => (u === 'count' ? '' : u === 'gbp' ? ' pounds' : u === 'm2' ? ' m²' : ` ${u}`);
    const parts = parseTargets(payload).lines.map((l) => {
      const x = ctx.metric(l.metric);
      const whose = l.project ? `${ctx.projectName(l.project)}’s` : 'the programme’s';
      const from = ctx.done
        ? recorded?.find((r) => r.metric === l.metric && (r.project ?? null) === l.project)?.target
        : undefined;
      const u = x ? unit(x.unit) : '';
      return `${whose} ${x?.name ?? l.metric} target ${from !== undefined && from !== null ? `from ${from}${u} ` : ''}to ${String(l.raw)}${u}`;
    });
    return `${verb(ctx, 'Re-baseline', 'Re-baselined')} ${parts.join('; ')}.`;
  }

  /** A line without a project re-baselines the programme's own target. */
  async programmeLevels(
    _m: EntityManager,
    _programme: Programme,
    payload: RebaselineTargetPayload,
  ): Promise<ProgrammeLevel[]> {
    return parseTargets(payload).lines.some((l) => !l.project) ? ['programme targets'] : [];
  }

  async projectIds(m: EntityManager, programme: Programme, payload: RebaselineTargetPayload): Promise<number[]> {
    const codes = parseTargets(payload).lines.flatMap((l) => (l.project ? [l.project] : []));
    return [...(await projectsByCode(m, programme.id, codes)).values()].map((p) => p.id);
  }
}
