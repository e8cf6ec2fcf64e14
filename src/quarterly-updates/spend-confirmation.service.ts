import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { Actor, sameActor } from '../auth/actor';
import { AuditRecord, AuditService, collectedRows } from '../audit/audit.service';
import { ConflictError, DomainError } from '../common/errors';
import { parseQuarter, formatQuarter } from '../common/fiscal';
import { formatPounds } from '../common/money';
import { Db } from '../database/db.service';
import { updateVersioned } from '../database/versioned';
import { PeriodsService } from '../periods/periods.service';
import { findProgramme, findProject } from '../programmes/programme-lookup';
import { Programme } from '../programmes/programme.entity';
import { Project } from '../projects/project.entity';
import { SpendProfileLine } from '../spend/spend.entities';
import { SpendService } from '../spend/spend.service';
import { QuarterlyUpdate } from './quarterly-update.entity';
import { presentUpdate } from './update-model';

/** One source kind of an accepted update: the actual recorded now beside the one it proposes. */
export interface ProposedActual {
  sourceKind: string;
  currentPence: number | null;
  proposedPence: number;
}

/** An accepted update whose actual spend waits for finance. */
export interface AwaitingUpdate {
  programme: string;
  programmeName: string;
  project: string;
  projectName: string;
  quarter: string;
  submittedBy: string | null;
  submittedByUserId: number | null;
  decidedBy: string | null;
  decidedAt: string | null;
  version: number;
  lines: ProposedActual[];
}

/** Per programme and quarter, how many accepted updates' actual spend awaits confirmation. */
export interface AwaitingCount {
  programme: string;
  programmeName: string;
  quarter: string;
  count: number;
}

/** The project codes of a quarter's accepted updates whose actual spend is not yet confirmed (the return's check). */
export async function awaitingSpendIn(m: EntityManager, programmeId: number, quarter: string): Promise<string[]> {
  const rows: { code: string }[] = await m
    .createQueryBuilder(QuarterlyUpdate, 'u')
    .innerJoin(Project, 'p', 'p.id = u.project_id')
    .select('p.code', 'code')
    .where('u.spend_state = :s AND u.programme_id = :g AND u.quarter = :q', {
      s: 'awaiting',
      g: programmeId,
      q: quarter,
    })
    .orderBy('p.code', 'ASC')
    .getRawMany();
  return rows.map((r) => r.code);
}

const SEPARATION = (quarter: string, project: string) =>
  `You submitted the ${quarter} update for ${project}: another finance user must confirm its spend (separation of duties)`;

/**
 * A delivery partner's (or any non-finance person's) spend figures count as actuals once finance
 * confirms them. An accepted update holds its proposed actuals "awaiting"; a finance user who did
 * not submit it confirms them per project or all at once for a quarter, each through SpendService's
 * own write (period locks, version checks) in one transaction with one audit entry per update.
 */
@Injectable()
export class SpendConfirmationService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly periods: PeriodsService,
    private readonly spend: SpendService,
  ) {}

  /** Every accepted update awaiting confirmation with its proposed and current actuals: three queries. */
  awaiting(): Promise<AwaitingUpdate[]> {
    return this.db.read(async (m) => {
      const rows: {
        id: number;
        projectId: number;
        programme: string;
        programmeName: string;
        project: string;
        projectName: string;
      }[] = await m
        .createQueryBuilder(QuarterlyUpdate, 'u')
        .innerJoin(Project, 'p', 'p.id = u.project_id')
        .innerJoin(Programme, 'g', 'g.id = u.programme_id')
        .select([
          'u.id AS id',
          'u.project_id AS "projectId"',
          'g.code AS programme',
          'g.name AS "programmeName"',
          'p.code AS project',
          'p.name AS "projectName"',
        ])
        .where('u.spend_state = :s', { s: 'awaiting' })
        .orderBy('g.code', 'ASC')
        .addOrderBy('u.quarter', 'ASC')
        .addOrderBy('p.code', 'ASC')
        .getRawMany();
      if (!rows.length) return [];
      const ids = rows.map((r) => Number(r.id));
      const updates = new Map((await m.find(QuarterlyUpdate, { where: { id: In(ids) } })).map((u) => [u.id, u]));
      const projectIds = [...new Set(rows.map((r) => Number(r.projectId)))];
      const lines = new Map(
        (await m.find(SpendProfileLine, { where: { projectId: In(projectIds) } })).map((l) => [
          `${l.projectId}|${l.sourceKind}|${l.quarter}`,
          l,
        ]),
      );
      return rows.map((r) => {
        const u = updates.get(Number(r.id))!;
        return {
          programme: r.programme,
          programmeName: r.programmeName,
          project: r.project,
          projectName: r.projectName,
          quarter: u.quarter,
          submittedBy: u.submittedBy,
          submittedByUserId: u.submittedByUserId,
          decidedBy: u.decidedBy,
          decidedAt: u.decidedAt,
          version: u.version,
          lines: Object.entries(u.draft.actuals ?? {})
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([sourceKind, proposedPence]) => ({
              sourceKind,
              currentPence: lines.get(`${u.projectId}|${sourceKind}|${u.quarter}`)?.actualPence ?? null,
              proposedPence,
            })),
        };
      });
    });
  }

  /** How many updates await confirmation per programme and quarter, leaving out those the actor submitted. */
  counts(actor: Actor): Promise<AwaitingCount[]> {
    return this.db.read(async (m) => {
      const updates = await m.find(QuarterlyUpdate, {
        where: { spendState: 'awaiting' },
        select: { id: true, programmeId: true, quarter: true, submittedBy: true, submittedByUserId: true },
        order: { programmeId: 'ASC', quarter: 'ASC' },
      });
      const mine = updates.filter((u) => !sameActor(u.submittedBy, u.submittedByUserId, actor));
      if (!mine.length) return [];
      const programmes = new Map(
        (
          await m.find(Programme, {
            where: { id: In([...new Set(mine.map((u) => u.programmeId))]) },
            select: { id: true, code: true, name: true },
          })
        ).map((g) => [g.id, g]),
      );
      const out: AwaitingCount[] = [];
      for (const u of mine) {
        const g = programmes.get(u.programmeId)!;
        const last = out[out.length - 1];
        if (last && last.programme === g.code && last.quarter === u.quarter) last.count++;
        else out.push({ programme: g.code, programmeName: g.name, quarter: u.quarter, count: 1 });
      }
      return out;
    });
  }

  /** Confirms one project's accepted update for a quarter: its proposed actuals become the actuals. */
  confirm(programmeCode: string, projectCode: string, quarter: string, version: number | undefined, actor: Actor) {
    return this.db.write(async (m) => {
      const prog = await findProgramme(m, programmeCode);
      const project = await findProject(m, prog.id, projectCode);
      const q = formatQuarter(parseQuarter(quarter));
      const u = await m.findOne(QuarterlyUpdate, { where: { projectId: project.id, quarter: q } });
      if (!u || u.spendState !== 'awaiting')
        throw new ConflictError(
          'SPEND_NOT_AWAITING',
          u?.spendState === 'confirmed'
            ? `The ${q} spend of ${project.code} was already confirmed by ${u.spendConfirmedBy ?? 'someone'}`
            : `The ${q} update for ${project.code} has no accepted spend awaiting confirmation`,
          { field: 'form' },
        );
      if (sameActor(u.submittedBy, u.submittedByUserId, actor))
        throw new DomainError('SEPARATION_OF_DUTIES', SEPARATION(q, project.code), 403, { field: 'form' });
      await this.periods.hold(m, prog.id);
      return this.confirmIn(m, prog, project, u, version, actor);
    });
  }

  /**
   * Confirms every update of a programme's quarter awaiting confirmation, except those the actor
   * submitted (named, for another finance user). All or nothing: one refusal confirms none.
   */
  confirmAll(programmeCode: string, quarter: string, actor: Actor) {
    return this.db.write(async (m) => {
      const prog = await findProgramme(m, programmeCode);
      const q = formatQuarter(parseQuarter(quarter));
      await this.periods.hold(m, prog.id);
      const updates = await m.find(QuarterlyUpdate, {
        where: { programmeId: prog.id, quarter: q, spendState: 'awaiting' },
        order: { projectId: 'ASC' },
      });
      const projects = new Map(
        (await m.find(Project, { where: { id: In(updates.map((u) => u.projectId)) } })).map((p) => [p.id, p]),
      );
      const confirmed: string[] = [];
      const skipped: string[] = [];
      for (const u of updates) {
        const project = projects.get(u.projectId)!;
        if (sameActor(u.submittedBy, u.submittedByUserId, actor)) skipped.push(project.code);
        else {
          await this.confirmIn(m, prog, project, u, u.version, actor);
          confirmed.push(project.code);
        }
      }
      return { quarter: q, confirmed: confirmed.sort(), skipped: skipped.sort() };
    });
  }

  private async confirmIn(
    m: EntityManager,
    prog: Programme,
    project: Project,
    u: QuarterlyUpdate,
    version: number | undefined,
    actor: Actor,
  ) {
    const lines = new Map(
      (await m.find(SpendProfileLine, { where: { projectId: project.id, quarter: u.quarter } })).map((l) => [
        l.sourceKind,
        l,
      ]),
    );
    const audit = { rows: [] as AuditRecord[] };
    for (const [sourceKind, pence] of Object.entries(u.draft.actuals ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
      const line = lines.get(sourceKind);
      if (line?.actualPence === pence) continue;
      await this.spend.setActualIn(
        m,
        prog,
        project,
        { sourceKind, quarter: u.quarter, actual: formatPounds(pence), version: line?.version },
        actor,
        audit,
      );
    }
    const now = new Date().toISOString();
    const after = await updateVersioned(m, QuarterlyUpdate, 'quarterly update', u.id, version ?? u.version, {
      spendState: 'confirmed',
      spendConfirmedBy: actor.name,
      spendConfirmedByUserId: actor.userId,
      spendConfirmedAt: now,
      updatedAt: now,
    });
    const rows = collectedRows(audit.rows);
    await this.audit.record(m, actor, {
      programmeId: prog.id,
      projectId: project.id,
      entity: 'quarterly_update',
      entityId: u.id,
      action: 'confirm_spend',
      // The actuals it recorded, before and after, in the spend lines' own audit form.
      before: { ...presentUpdate(u), quarter: u.quarter, applied: rows.before },
      after: { ...presentUpdate(after), quarter: u.quarter, applied: rows.after },
      meta: { quarter: u.quarter },
    });
    return { project: project.code, quarter: u.quarter, applied: audit.rows.length };
  }
}
