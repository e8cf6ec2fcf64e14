import { EntityManager } from 'typeorm';
import { AuditRecord } from '../audit/audit.service';
import { DomainError, DuplicateError, UnknownReferenceError } from '../common/errors';
import { Organisation } from '../organisations/organisation.entity';
import { Theme } from '../programmes/theme.entity';
import { Project, ProjectStatus } from './project.entity';

/** A project to create: codes of its theme and lead body, as a user gives them. */
export interface NewProject {
  code: string;
  name: string;
  theme?: string | null;
  description?: string | null;
  location?: string | null;
  leadBody?: string | null;
  status: ProjectStatus;
}

/** What stops a project being created; `field` is the input's own name. */
export interface NewProjectProblem {
  field: 'code' | 'theme' | 'leadBody';
  problem: string;
  code: 'DUPLICATE' | 'UNKNOWN_REFERENCE';
  value: string;
}

/**
 * The one check of a new project, for both ways of creating one (POST .../projects and the
 * add_project change kind): its code is free in the programme, its theme and lead body exist.
 * Every problem, not only the first, so a change request can list them all.
 */
export async function newProjectProblems(
  m: EntityManager,
  programmeId: number,
  p: NewProject,
): Promise<NewProjectProblem[]> {
  const out: NewProjectProblem[] = [];
  if (await m.findOne(Project, { where: { programmeId, code: p.code } }))
    out.push({
      field: 'code',
      problem: `a project with code "${p.code}" already exists`,
      code: 'DUPLICATE',
      value: p.code,
    });
  if (p.theme && !(await m.findOne(Theme, { where: { programmeId, code: p.theme } })))
    out.push({
      field: 'theme',
      problem: `theme "${p.theme}" does not exist in this programme`,
      code: 'UNKNOWN_REFERENCE',
      value: p.theme,
    });
  if (p.leadBody && !(await m.findOne(Organisation, { where: { code: p.leadBody } })))
    out.push({
      field: 'leadBody',
      problem: `organisation "${p.leadBody}" does not exist`,
      code: 'UNKNOWN_REFERENCE',
      value: p.leadBody,
    });
  return out;
}

/** A problem as the domain error a direct write answers with (409 duplicate, 422 unknown reference). */
function asError(x: NewProjectProblem): DomainError {
  if (x.code === 'DUPLICATE') return new DuplicateError('project', 'code', x.value);
  return new UnknownReferenceError(x.field, x.field === 'theme' ? 'theme' : 'organisation', x.value);
}

/**
 * Creates a project inside the caller's transaction: checks it (throwing the first problem),
 * inserts it and records its creation through `record`, the caller's audit (a user's own write,
 * or the approval of an add_project change request).
 */
export async function createProject(
  m: EntityManager,
  programmeId: number,
  p: NewProject,
  record: (r: AuditRecord) => Promise<void>,
): Promise<Project> {
  const problems = await newProjectProblems(m, programmeId, p);
  if (problems.length) throw asError(problems[0]);
  const themeId = p.theme ? (await m.findOneOrFail(Theme, { where: { programmeId, code: p.theme } })).id : null;
  const leadId = p.leadBody ? (await m.findOneOrFail(Organisation, { where: { code: p.leadBody } })).id : null;
  const r = await m.insert(Project, {
    programmeId,
    themeId,
    code: p.code,
    name: p.name,
    description: p.description ?? null,
    location: p.location ?? null,
    status: p.status,
    leadOrganisationId: leadId,
  });
  const project = await m.findOneByOrFail(Project, { id: r.identifiers[0].id as number });
  await record({
    programmeId,
    projectId: project.id,
    entity: 'project',
    entityId: project.id,
    action: 'create',
    after: project,
  });
  return project;
}
