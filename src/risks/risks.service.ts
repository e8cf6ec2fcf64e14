import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor } from '../auth/actor';
import { assertProjectScope } from '../auth/scope';
import { AuditService } from '../audit/audit.service';
import { FieldProblem, NotFoundError, RuleViolationError, ValidationError } from '../common/errors';
import { formatQuarter } from '../common/fiscal';
import { Db } from '../database/db.service';
import { PeriodsService } from '../periods/periods.service';
import { updateVersioned } from '../database/versioned';
import { findProgramme, findProject } from '../programmes/programme-lookup';
import { Programme } from '../programmes/programme.entity';
import { Project } from '../projects/project.entity';
import { ProjectRisk, RISK_LEVEL_LABELS, RISK_SCALE, RiskLevel } from './risk.entity';

/** What a person enters for a risk (levels as typed: a number 1–5 or its digit). */
export interface RiskInput {
  description: unknown;
  likelihood: unknown;
  impact: unknown;
  mitigation?: unknown;
  owner: unknown;
}

interface CleanRisk {
  description: string;
  likelihood: RiskLevel;
  impact: RiskLevel;
  mitigation: string | null;
  owner: string;
}

const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

function level(v: unknown): RiskLevel | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*[1-5]\s*$/.test(v) ? Number(v) : NaN;
  return (RISK_SCALE as readonly number[]).includes(n) ? (n as RiskLevel) : undefined;
}

/** The rules a risk obeys, each problem naming its field; pure. */
export function checkRisk(input: RiskInput): { risk?: CleanRisk; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const description = str(input.description);
  const owner = str(input.owner);
  const mitigation = str(input.mitigation);
  const likelihood = level(input.likelihood);
  const impact = level(input.impact);
  if (!description) problems.push({ field: 'description', problem: 'Enter a description of the risk' });
  else if (description.length > 2000)
    problems.push({ field: 'description', problem: 'Description must be 2,000 characters or fewer' });
  if (likelihood === undefined)
    problems.push({ field: 'likelihood', problem: 'Choose the likelihood, from 1 (very low) to 5 (very high)' });
  if (impact === undefined)
    problems.push({ field: 'impact', problem: 'Choose the impact, from 1 (very low) to 5 (very high)' });
  if (mitigation.length > 2000)
    problems.push({ field: 'mitigation', problem: 'Mitigation must be 2,000 characters or fewer' });
  if (!owner) problems.push({ field: 'owner', problem: 'Enter who owns the risk' });
  else if (owner.length > 200) problems.push({ field: 'owner', problem: 'Owner must be 200 characters or fewer' });
  if (problems.length) return { problems };
  return {
    risk: { description, likelihood: likelihood!, impact: impact!, mitigation: mitigation || null, owner },
    problems,
  };
}

/** A risk as the API, the pages and the audit trail show it. */
export function presentRisk(r: ProjectRisk) {
  return {
    id: r.id,
    description: r.description,
    likelihood: r.likelihood,
    impact: r.impact,
    score: r.likelihood * r.impact,
    mitigation: r.mitigation,
    owner: r.owner,
    status: r.status,
    raisedIn: r.raisedIn,
    closedIn: r.closedIn,
    version: r.version,
  };
}

/** The audited fields, with the levels in words beside their numbers. */
function audited(r: ProjectRisk) {
  return {
    description: r.description,
    likelihood: `${r.likelihood} (${RISK_LEVEL_LABELS[r.likelihood].toLowerCase()})`,
    impact: `${r.impact} (${RISK_LEVEL_LABELS[r.impact].toLowerCase()})`,
    mitigation: r.mitigation,
    owner: r.owner,
    status: r.status,
    ...(r.closedIn ? { closedIn: r.closedIn } : {}),
  };
}

/**
 * Projects' risk registers. Programme managers and delivery partners write their own projects'
 * risks (checked here as well as by the route); every write is audited with before and after.
 */
@Injectable()
export class RisksService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly periods: PeriodsService,
  ) {}

  /**
   * The API's writes: one transaction each, through the same rules, scope, version check and
   * audit as the staff pages' (createIn, updateIn, closeIn), dated by the programme's reporting
   * quarter as the staff pages date them.
   */
  create(programmeCode: string, projectCode: string, input: RiskInput, actor: Actor) {
    return this.write(programmeCode, projectCode, actor, (m, c) =>
      this.createIn(m, c.prog, c.project, input, c.quarter, actor),
    );
  }

  /** Changes the fields given of an open risk; the others keep their current values. */
  update(
    programmeCode: string,
    projectCode: string,
    id: number,
    input: Partial<RiskInput> & { version: number },
    actor: Actor,
  ) {
    return this.write(programmeCode, projectCode, actor, async (m, c) => {
      const given = (['description', 'likelihood', 'impact', 'mitigation', 'owner'] as const).filter(
        (k) => input[k] !== undefined,
      );
      if (!given.length)
        throw new ValidationError([
          { field: 'description', problem: 'Give at least one of description, likelihood, impact, mitigation, owner' },
        ]);
      const before = await this.findIn(m, c.project, id);
      const merged: RiskInput = {
        description: input.description ?? before.description,
        likelihood: input.likelihood ?? before.likelihood,
        impact: input.impact ?? before.impact,
        mitigation: input.mitigation === undefined ? before.mitigation : input.mitigation,
        owner: input.owner ?? before.owner,
      };
      return this.updateIn(m, c.prog, c.project, id, merged, input.version, c.quarter, actor);
    });
  }

  close(programmeCode: string, projectCode: string, id: number, version: number, actor: Actor) {
    return this.write(programmeCode, projectCode, actor, (m, c) =>
      this.closeIn(m, c.prog, c.project, id, version, c.quarter, actor),
    );
  }

  private write(
    programmeCode: string,
    projectCode: string,
    actor: Actor,
    fn: (m: EntityManager, c: { prog: Programme; project: Project; quarter: string }) => Promise<ProjectRisk>,
  ) {
    return this.db.write(async (m) => {
      const prog = await findProgramme(m, programmeCode);
      const project = await findProject(m, prog.id, projectCode);
      // Scope before anything else: another project's risk is not even looked up.
      assertProjectScope(actor, prog.code, project.code);
      const quarter = formatQuarter(await this.periods.currentQuarter(m, prog));
      return presentRisk(await fn(m, { prog, project, quarter }));
    });
  }

  /** A project's register: open risks first, highest score first, then closed ones. */
  list(programmeCode: string, projectCode: string) {
    return this.db.read(async (m) => {
      const prog = await findProgramme(m, programmeCode);
      const project = await findProject(m, prog.id, projectCode);
      return { project: project.code, risks: (await this.listIn(m, project.id)).map(presentRisk) };
    });
  }

  async listIn(m: EntityManager, projectId: number): Promise<ProjectRisk[]> {
    const rows = await m.find(ProjectRisk, { where: { projectId }, order: { id: 'ASC' } });
    return rows.sort(
      (a, b) =>
        (a.status === b.status ? 0 : a.status === 'open' ? -1 : 1) ||
        b.likelihood * b.impact - a.likelihood * a.impact ||
        a.id - b.id,
    );
  }

  /** One risk of the project (404 when it is another project's). */
  async findIn(m: EntityManager, project: Project, id: number): Promise<ProjectRisk> {
    const r = Number.isSafeInteger(id) ? await m.findOne(ProjectRisk, { where: { id, projectId: project.id } }) : null;
    if (!r) throw new NotFoundError('risk', id, 'id');
    return r;
  }

  /** Adds a risk, raised in the given (reporting) quarter. */
  async createIn(m: EntityManager, prog: Programme, project: Project, input: RiskInput, quarter: string, actor: Actor) {
    assertProjectScope(actor, prog.code, project.code);
    const { risk, problems } = checkRisk(input);
    if (!risk) throw new ValidationError(problems);
    const r = await m.insert(ProjectRisk, {
      programmeId: prog.id,
      projectId: project.id,
      ...risk,
      status: 'open',
      raisedIn: quarter,
      closedIn: null,
      updatedAt: new Date().toISOString(),
    });
    const after = await m.findOneByOrFail(ProjectRisk, { id: r.identifiers[0].id as number });
    await this.audit.record(m, actor, {
      programmeId: prog.id,
      projectId: project.id,
      entity: 'project_risk',
      entityId: after.id,
      action: 'create',
      after: audited(after),
      meta: { quarter },
    });
    return after;
  }

  /** Changes an open risk's description, levels, mitigation or owner. */
  async updateIn(
    m: EntityManager,
    prog: Programme,
    project: Project,
    id: number,
    input: RiskInput,
    version: number | undefined,
    quarter: string,
    actor: Actor,
  ) {
    return this.changeOpen(m, prog, project, id, version, quarter, actor, {
      action: 'update',
      closed: () => 'This risk is closed: add a new risk instead',
      fields: () => {
        const { risk, problems } = checkRisk(input);
        if (!risk) throw new ValidationError(problems);
        return risk;
      },
    });
  }

  /** Closes an open risk in the given quarter. */
  async closeIn(
    m: EntityManager,
    prog: Programme,
    project: Project,
    id: number,
    version: number | undefined,
    quarter: string,
    actor: Actor,
  ) {
    return this.changeOpen(m, prog, project, id, version, quarter, actor, {
      action: 'close',
      closed: (before) => `This risk was closed in ${before.closedIn}`,
      fields: () => ({ status: 'closed' as const, closedIn: quarter }),
    });
  }

  /** One audited, versioned change of a risk that must still be open (a closed risk is history). */
  private async changeOpen(
    m: EntityManager,
    prog: Programme,
    project: Project,
    id: number,
    version: number | undefined,
    quarter: string,
    actor: Actor,
    change: { action: 'update' | 'close'; closed: (before: ProjectRisk) => string; fields: () => Partial<ProjectRisk> },
  ) {
    assertProjectScope(actor, prog.code, project.code);
    const before = await this.findIn(m, project, id);
    if (before.status === 'closed') throw new RuleViolationError('RISK_CLOSED', change.closed(before), 'form');
    const after = await updateVersioned(m, ProjectRisk, 'risk', id, version ?? before.version, {
      ...change.fields(),
      updatedAt: new Date().toISOString(),
    });
    await this.audit.record(m, actor, {
      programmeId: prog.id,
      projectId: project.id,
      entity: 'project_risk',
      entityId: id,
      action: change.action,
      before: audited(before),
      after: audited(after),
      meta: { quarter },
    });
    return after;
  }
}
