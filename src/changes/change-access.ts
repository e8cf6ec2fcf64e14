import { EntityManager, In } from 'typeorm';
import { Actor } from '../auth/actor';
import { ProjectNotAssignedError } from '../auth/access-errors';
import { DomainError } from '../common/errors';
import { Allocation } from '../funding/allocation.entity';
import { Milestone } from '../milestones/milestone.entity';
import { codeMaps } from '../programmes/programme-lookup';
import { Programme } from '../programmes/programme.entity';
import { ChangeRequest } from './change-request.entity';
import { sameActor } from './change-rules';
import { ChangeKindHandler, ProgrammeLevel } from './kinds/kind';

/**
 * Who may propose what through a change request (the access table in docs/reliability.md).
 * Scope follows the data a payload touches, not the route: every allocation, project and
 * milestone it names. A programme manager may touch only assigned projects and nothing held at
 * programme level; programme-level and pool money is for admin and finance; deal commitments
 * and programme targets are for admin. Drafts are edited, and requests withdrawn, only by
 * their author or an admin. Approval and rejection are the approver's (the guard's @Roles).
 */
const WHO_MAY: Record<ProgrammeLevel, string[]> = {
  'programme money': ['admin', 'finance'],
  'deal commitments': ['admin'],
  'programme targets': ['admin'],
};

export class ProgrammeLevelChangeError extends DomainError {
  constructor(level: ProgrammeLevel, role: string) {
    super(
      'PROGRAMME_LEVEL',
      `payload: this change touches ${level}, which only ${WHO_MAY[level].join(' and ')} may change (your role: ${role})`,
      403,
      { field: 'payload', level, allowed: WHO_MAY[level] },
    );
  }
}

export class NotAuthorError extends DomainError {
  constructor(number: number, step: string) {
    super('NOT_AUTHOR', `change request ${number} may be ${step} only by its author or an admin`, 403, {
      field: 'number',
    });
  }
}

/** The projects and programme-level records a payload touches. */
export async function changeScope(
  m: EntityManager,
  prog: Programme,
  h: ChangeKindHandler<unknown>,
  payload: unknown,
): Promise<{ projectIds: number[]; levels: ProgrammeLevel[] }> {
  const projectIds = h.projectIds ? await h.projectIds(m, prog, payload) : [];
  const levels = new Set<ProgrammeLevel>(h.programmeLevels ? await h.programmeLevels(m, prog, payload) : []);
  const allocationIds = h.allocationIds?.(payload) ?? [];
  if (allocationIds.length) {
    const rows = await m.find(Allocation, { where: { programmeId: prog.id, id: In(allocationIds) } });
    if (rows.some((a) => a.projectId === null)) levels.add('programme money');
  }
  const milestoneIds = h.references?.(payload).milestones ?? [];
  if (milestoneIds.length) {
    const rows = await m.find(Milestone, { where: { programmeId: prog.id, id: In(milestoneIds) } });
    if (rows.some((x) => x.projectId === null)) levels.add('deal commitments');
  }
  return { projectIds, levels: [...levels] };
}

/** Drafting, editing or submitting this payload: 403 when it reaches beyond the actor's scope. */
export async function assertMayPropose(
  m: EntityManager,
  prog: Programme,
  h: ChangeKindHandler<unknown>,
  payload: unknown,
  actor: Actor,
): Promise<void> {
  if (actor.role === 'admin') return;
  const { projectIds, levels } = await changeScope(m, prog, h, payload);
  for (const level of levels)
    if (!WHO_MAY[level].includes(actor.role)) throw new ProgrammeLevelChangeError(level, actor.role);
  if (actor.role !== 'programme_manager') return;
  const codes = (await codeMaps(m, prog.id)).project;
  const mine = new Set(actor.projects ?? []);
  for (const id of projectIds) {
    const code = codes.get(id) ?? String(id);
    if (!mine.has(`${prog.code}/${code}`)) throw new ProjectNotAssignedError(code, 'payload');
  }
}

/** Editing a draft and withdrawing: the author or an admin. */
export function assertAuthorOrAdmin(cr: ChangeRequest, actor: Actor, step: string): void {
  if (actor.role === 'admin') return;
  if (!sameActor(cr.createdBy, cr.createdById, actor)) throw new NotAuthorError(cr.number, step);
}
