import { EntityManager, EntityTarget, FindOptionsWhere, In } from 'typeorm';
import { Allocation } from '../../funding/allocation.entity';
import { SourceKind } from '../../funding/source-kind.entity';
import { ProjectPool } from '../../projects/project-pool.entity';
import { Project } from '../../projects/project.entity';
import { ChangeProblem } from './kind';

/** A programme's rows of `entity` whose `key` is one of `values`, by that key: one query, never one per line. */
async function byKey<T extends { programmeId: number }, V extends number | string>(
  m: EntityManager,
  entity: EntityTarget<T>,
  programmeId: number,
  key: keyof T & string,
  values: V[],
): Promise<Map<V, T>> {
  if (!values.length) return new Map();
  const where = { programmeId, [key]: In([...new Set(values)]) } as FindOptionsWhere<T>;
  return new Map((await m.find(entity, { where })).map((r) => [r[key] as V, r]));
}

/** Batched look-ups for validating payloads. */
export function allocationsById(
  m: EntityManager,
  programmeId: number,
  ids: number[],
): Promise<Map<number, Allocation>> {
  return byKey(m, Allocation, programmeId, 'id', ids);
}

export function projectsByCode(m: EntityManager, programmeId: number, codes: string[]): Promise<Map<string, Project>> {
  return byKey(m, Project, programmeId, 'code', codes);
}

/** A payload naming a project the programme does not have: the one wording of that problem. */
export function unknownProject(code: string, field: string): ChangeProblem {
  return { field, problem: `project "${code}" does not exist in this programme`, code: 'UNKNOWN_REFERENCE' };
}

/** The one project a payload names (set_baseline, reprofile_spend, the status kinds), or the problem. */
export async function namedProject(
  m: EntityManager,
  programmeId: number,
  code: string,
  field = 'payload.project',
): Promise<{ project: Project; problems: [] } | { project: undefined; problems: [ChangeProblem] }> {
  const project = (await projectsByCode(m, programmeId, [code])).get(code);
  return project ? { project, problems: [] } : { project: undefined, problems: [unknownProject(code, field)] };
}

export async function poolsByCode(
  m: EntityManager,
  programmeId: number,
  codes: string[],
): Promise<Map<string, ProjectPool>> {
  if (!codes.length) return new Map();
  const rows = await m.find(ProjectPool, { where: { programmeId, code: In([...new Set(codes)]) } });
  return new Map(rows.map((p) => [p.code, p]));
}

export async function sourceKindCodes(m: EntityManager): Promise<Set<string>> {
  return new Set((await m.find(SourceKind, { select: ['code'] })).map((k) => k.code));
}

/** An allocation a change may move: exists in this programme, approved, not withdrawn. */
export function checkMovable(
  a: Allocation | undefined,
  id: number,
  field: string,
  problems: ChangeProblem[],
): a is Allocation {
  if (!a) {
    problems.push({ field, problem: `allocation ${id} does not exist in this programme`, code: 'UNKNOWN_REFERENCE' });
    return false;
  }
  if (a.approvalState !== 'approved') {
    problems.push({
      field,
      problem: `allocation ${id} is a draft: only approved allocations are moved by change requests`,
      code: 'NOT_APPROVED',
    });
    return false;
  }
  if (a.commitmentStatus === 'withdrawn') {
    problems.push({
      field,
      problem: `allocation ${id} is withdrawn: it is kept on record and takes no more money (to fund its project again, reinstate_project if the project is withdrawn, then a reallocation line with "new")`,
      code: 'WITHDRAWN_ALLOCATION',
    });
    return false;
  }
  return true;
}
