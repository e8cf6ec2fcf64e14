import { EntityManager, In } from 'typeorm';
import { longDate as calendarDate } from '../common/fiscal';
import { periodCode } from '../funding/period';
import { SourceKind } from '../funding/source-kind.entity';
import { Milestone } from '../milestones/milestone.entity';
import { OutputMetric } from '../outputs/output.entities';
import { Programme } from '../programmes/programme.entity';
import { ProjectPool } from '../projects/project-pool.entity';
import { Project } from '../projects/project.entity';
import { ChangeRequest } from './change-request.entity';
import { ChangeKindRegistry, DescribeContext } from './kinds/kind';
import { allocationsById } from './kinds/references';

function safe<T>(f: () => T, fallback: T): T {
  try {
    return f();
  } catch {
    return fallback;
  }
}

/**
 * Prepares the names every description in a list may need: one query per table (allocations,
 * projects, pools, source kinds, milestones, metrics), never one per change request.
 */
export async function describeContexts(
  m: EntityManager,
  prog: Programme,
  rows: ChangeRequest[],
  registry: ChangeKindRegistry,
): Promise<(cr: ChangeRequest) => DescribeContext> {
  const allocationIds: number[] = [];
  const milestoneIds: number[] = [];
  for (const cr of rows) {
    const h = registry.get(cr.kind);
    if (!h) continue;
    if (h.allocationIds) allocationIds.push(...safe(() => h.allocationIds!(cr.payload), []));
    const refs = h.references ? safe(() => h.references!(cr.payload), {}) : {};
    allocationIds.push(...(refs.allocations ?? []));
    milestoneIds.push(...(refs.milestones ?? []));
  }
  // Sequential: inside a transaction the manager holds one connection.
  const allocs = await allocationsById(m, prog.id, allocationIds);
  const projects = await m.find(Project, { where: { programmeId: prog.id }, select: ['id', 'code', 'name'] });
  const pools = await m.find(ProjectPool, { where: { programmeId: prog.id }, select: ['id', 'code', 'name'] });
  const kinds = new Map((await m.find(SourceKind, { select: ['code', 'label'] })).map((k) => [k.code, k.label]));
  const milestones = milestoneIds.length
    ? await m.find(Milestone, { where: { programmeId: prog.id, id: In([...new Set(milestoneIds)]) } })
    : [];
  const metrics = new Map(
    (await m.find(OutputMetric)).map((x) => [x.code, { name: x.name, unit: x.unit, scale: x.scale }]),
  );
  const projectById = new Map(projects.map((p) => [p.id, p]));
  const projectByCode = new Map(projects.map((p) => [p.code, p]));
  const poolById = new Map(pools.map((p) => [p.id, p]));
  const milestoneById = new Map(milestones.map((x) => [x.id, x]));

  const allocation = (id: number) => {
    const a = allocs.get(id);
    if (!a) return `allocation ${id}`;
    const holder =
      (a.projectId ? projectById.get(a.projectId)?.code : a.poolId ? poolById.get(a.poolId)?.code : null) ??
      'the programme';
    return `${holder} · ${a.sourceKind} · ${periodCode(a.periodKind, a.yearFrom, a.yearTo)} (allocation ${id})`;
  };
  const allocationFacts = (id: number) => {
    const a = allocs.get(id);
    if (!a) return undefined;
    const holder =
      (a.projectId
        ? projectById.get(a.projectId)?.name
        : a.poolId
          ? `the ${poolById.get(a.poolId)?.name ?? 'pool'} pool`
          : null) ?? 'the programme';
    return {
      holder,
      sourceKind: a.sourceKind,
      kindLabel: kinds.get(a.sourceKind) ?? a.sourceKind,
      period: periodCode(a.periodKind, a.yearFrom, a.yearTo),
    };
  };
  const base = {
    allocation,
    allocationFacts,
    projectName: (code: string) => projectByCode.get(code)?.name ?? code,
    kindLabel: (code: string) => kinds.get(code) ?? code,
    milestone: (id: number) => {
      const x = milestoneById.get(id);
      return x
        ? {
            title: x.title,
            project: x.projectId ? (projectById.get(x.projectId)?.code ?? null) : null,
            baselineDate: x.baselineDate,
          }
        : undefined;
    },
    metric: (code: string) => metrics.get(code),
  };
  return (cr) => ({
    ...base,
    done: cr.state === 'approved',
    before: cr.state === 'approved' ? (cr.before ?? null) : null,
  });
}

/** "2016-07-29" → "29 July 2016"; a missing date is said as "no date" in a description. */
export function longDate(iso: string | null | undefined): string {
  return calendarDate(iso, 'no date');
}

/** "Move"/"Moved" by whether the change has been approved. */
export function verb(ctx: Pick<DescribeContext, 'done'>, present: string, past: string): string {
  return ctx.done ? past : present;
}
