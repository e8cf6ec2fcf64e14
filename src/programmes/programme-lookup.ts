import { EntityManager, EntityTarget, FindOptionsWhere } from 'typeorm';
import { NotFoundError, UnknownReferenceError } from '../common/errors';
import { ProjectPool } from '../projects/project-pool.entity';
import { Project } from '../projects/project.entity';
import { Programme } from './programme.entity';
import { Theme } from './theme.entity';

/** Code-to-row lookups every feature needs; a missing programme is a 404 naming its code. */
export async function findProgramme(m: EntityManager, code: string): Promise<Programme> {
  const p = await m.findOne(Programme, { where: { code } });
  if (!p) throw new NotFoundError('programme', code, 'programme');
  return p;
}

export async function findProject(m: EntityManager, programmeId: number, code: string): Promise<Project> {
  const p = await m.findOne(Project, { where: { programmeId, code } });
  if (!p) throw new NotFoundError('project', code, 'project');
  return p;
}

export async function findTheme(m: EntityManager, programmeId: number, code: string): Promise<Theme> {
  const t = await m.findOne(Theme, { where: { programmeId, code } });
  if (!t) throw new NotFoundError('theme', code, 'theme');
  return t;
}

/** For references inside a request body: 422 naming the field. */
async function refIn<T extends Project | Theme | ProjectPool>(
  m: EntityManager,
  entity: EntityTarget<T>,
  what: string,
  programmeId: number,
  code: string,
  field: string,
): Promise<T> {
  const row = await m.findOne(entity, { where: { programmeId, code } as FindOptionsWhere<T> });
  if (!row) throw new UnknownReferenceError(field, what, code);
  return row;
}

export function refProject(m: EntityManager, programmeId: number, code: string, field = 'project'): Promise<Project> {
  return refIn(m, Project, 'project', programmeId, code, field);
}

export function refTheme(m: EntityManager, programmeId: number, code: string, field = 'theme'): Promise<Theme> {
  return refIn(m, Theme, 'theme', programmeId, code, field);
}

export function refPool(m: EntityManager, programmeId: number, code: string, field = 'pool'): Promise<ProjectPool> {
  return refIn(m, ProjectPool, 'pool', programmeId, code, field);
}

/** Maps ids to codes for presenting rows (one query per table, never per row). */
export async function codeMaps(m: EntityManager, programmeId: number) {
  // Sequential: inside a transaction the manager holds one connection.
  const themes = await m.find(Theme, { where: { programmeId }, select: ['id', 'code'] });
  const projects = await m.find(Project, { where: { programmeId }, select: ['id', 'code'] });
  const pools = await m.find(ProjectPool, { where: { programmeId }, select: ['id', 'code'] });
  return {
    theme: new Map(themes.map((t) => [t.id, t.code])),
    project: new Map(projects.map((p) => [p.id, p.code])),
    pool: new Map(pools.map((p) => [p.id, p.code])),
  };
}
