import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor } from '../auth/actor';
import { projectScopeTest } from '../auth/scope';
import { NotFoundError } from '../common/errors';
import { formatQuarter, quarterEnd } from '../common/fiscal';
import { Db } from '../database/db.service';
import { leanQuery } from '../database/lean-read';
import { PeriodsService, ProgrammeSpan } from '../periods/periods.service';
import { Programme } from '../programmes/programme.entity';
import { Project } from '../projects/project.entity';
import { QuarterlyUpdate, UpdateStatus } from './quarterly-update.entity';
import { presentRisk, RisksService } from '../risks/risks.service';
import { STATUS_LABELS, EDITABLE, TASK_LABELS, outputsTaskStatus, risksTaskStatus } from './update-model';
import { UpdateReader } from './update-reader';

/** The updates that wait for someone of this role: returned ones to fix, submitted ones to review. */
function waitingStatuses(actor: Actor): UpdateStatus[] {
  return [
    ...(['delivery_partner', 'programme_manager', 'admin'].includes(actor.role) ? (['returned'] as const) : []),
    ...(['programme_manager', 'admin'].includes(actor.role) ? (['submitted'] as const) : []),
  ];
}

type ListProgramme = Pick<Programme, 'id' | 'code' | 'name'> & ProgrammeSpan & { submitted: Set<string> };

/**
 * Projects' quarterly updates for the programme's reporting quarter, as read: the task list, a
 * project's update page, and what waits for each person. The draft writes are
 * UpdateDraftsService's; submit, return and accept are UpdateReviewService's.
 */
@Injectable()
export class QuarterlyUpdatesService {
  constructor(
    private readonly db: Db,
    private readonly periods: PeriodsService,
    private readonly reader: UpdateReader,
    private readonly risks: RisksService,
  ) {}

  /** Every programme by code, for choosing one when there are several (one query). */
  programmes(): Promise<{ code: string; name: string }[]> {
    return this.db.read((m) => m.find(Programme, { select: { code: true, name: true }, order: { code: 'ASC' } }));
  }

  /**
   * Every project's update status for the reporting quarter, limited to a scoped user's own
   * projects: two statements whatever the number of projects (three when no programme is named).
   * The projects and their updates are one statement on the lean read path: as entities, a
   * national programme's 461 projects and their updates cost several times the query itself on
   * every page view.
   */
  taskList(actor: Actor, programmeCode?: string) {
    return this.db.read(async (m) => {
      const prog = await this.programmeForList(m, programmeCode);
      const quarter = formatQuarter(this.periods.positionOf(prog, prog.submitted).quarter);
      const [p1, p2] = this.db.type === 'postgres' ? ['$1', '$2'] : ['?', '?'];
      const projects = await leanQuery<{ code: string; name: string; status: UpdateStatus | null }>(
        this.db.ds,
        `SELECT p.code AS code, p.name AS name, u.status AS status
           FROM project p LEFT JOIN quarterly_update u ON u.project_id = p.id AND u.quarter = ${p1}
          WHERE p.programme_id = ${p2} AND p.status <> 'withdrawn' ORDER BY p.code`,
        [quarter, prog.id], // in order of appearance: SQLite's ? placeholders are positional
      );
      const mayRead = projectScopeTest(actor);
      const rows = projects
        .filter((p) => mayRead(prog.code, p.code))
        .map((p) => {
          const status: UpdateStatus = p.status ?? 'not_started';
          return { code: p.code, name: p.name, status, statusLabel: STATUS_LABELS[status] };
        });
      const counts = Object.fromEntries(
        (Object.keys(STATUS_LABELS) as UpdateStatus[]).map((s) => [s, rows.filter((r) => r.status === s).length]),
      ) as Record<UpdateStatus, number>;
      return { programme: { code: prog.code, name: prog.name }, quarter, rows, counts };
    });
  }

  /**
   * The programme the task list is for, with its submitted quarters (what its reporting quarter
   * depends on). Named by code, one statement on the lean path: the programme as an entity and
   * the quarters through the query builder cost several times the statements on every page view.
   */
  private async programmeForList(m: EntityManager, code: string | undefined): Promise<ListProgramme> {
    if (code === undefined) {
      const p = await this.reader.programme(m);
      return { ...p, submitted: await this.periods.submittedQuarters(m, p.id) };
    }
    const pg = this.db.type === 'postgres';
    const [row] = await leanQuery<{
      id: number | string;
      code: string;
      name: string;
      first_quarter: string;
      ends_on: string;
      submitted: string | null;
    }>(
      this.db.ds,
      `SELECT g.id AS id, g.code AS code, g.name AS name, g.first_quarter AS first_quarter, g.ends_on AS ends_on,
              (SELECT ${pg ? "string_agg(DISTINCT r.quarter, ',')" : 'group_concat(DISTINCT r.quarter)'}
                 FROM return_version r WHERE r.programme_id = g.id) AS submitted
         FROM programme g WHERE g.code = ${pg ? '$1' : '?'}`,
      [code],
    );
    if (!row) throw new NotFoundError('programme', code, 'programme');
    return {
      id: Number(row.id),
      code: row.code,
      name: row.name,
      firstQuarter: row.first_quarter,
      endsOn: row.ends_on,
      // Quarters are "2015-16 Q1": never a comma.
      submitted: new Set(row.submitted ? row.submitted.split(',') : []),
    };
  }

  /** What a project's update page shows. */
  view(programmeCode: string | undefined, projectCode: string) {
    return this.db.read(async (m) => {
      const { prog, project, quarter, update } = await this.reader.context(m, programmeCode, projectCode);
      const draft = update?.draft ?? {};
      const spend = await this.reader.spendSections(m, prog, project, quarter, draft);
      const milestones = await this.reader.milestoneRows(m, project, draft);
      const outputs = await this.reader.outputSections(m, prog, project, draft);
      const risks = (await this.risks.listIn(m, project.id)).map(presentRisk);
      const status: UpdateStatus = update?.status ?? 'not_started';
      const outputsStatus = outputsTaskStatus(draft, outputs.length);
      const risksStatus = risksTaskStatus(draft);
      return {
        programme: { code: prog.code, name: prog.name },
        project: { code: project.code, name: project.name },
        quarter,
        status,
        statusLabel: STATUS_LABELS[status],
        editable: EDITABLE.includes(status),
        version: update?.version ?? 0,
        spendStarted: !!(draft.actuals || draft.forecasts),
        narrative: draft.narrative ?? '',
        returnComment: update?.returnComment ?? null,
        submittedBy: update?.submittedBy ?? null,
        submittedAt: update?.submittedAt ?? null,
        submittedByUserId: update?.submittedByUserId ?? null,
        spendState: update?.spendState ?? null,
        spendConfirmedBy: update?.spendConfirmedBy ?? null,
        spendConfirmedAt: update?.spendConfirmedAt ?? null,
        spend,
        milestones,
        milestonesStarted: Object.keys(draft.milestones ?? {}).length > 0,
        quarterEnd: quarterEnd(this.periods.checkInProgramme(prog, quarter)),
        outputs,
        outputsComplete: draft.outputs?.complete ?? null,
        outputsStatus,
        outputsStatusLabel: TASK_LABELS[outputsStatus],
        risks,
        risksReviewed: draft.risks?.reviewed ?? null,
        risksChanged: draft.risks?.changes ?? 0,
        risksStatus,
        risksStatusLabel: TASK_LABELS[risksStatus],
      };
    });
  }

  /**
   * How many updates `waiting` lists for the actor (returned plus submitted, in their scope), for
   * every staff page's header: one statement on the lean path, codes only, no names or texts.
   */
  async waitingCount(actor: Actor): Promise<number> {
    const statuses = waitingStatuses(actor);
    if (!statuses.length) return 0;
    const rows = await this.db.read(() =>
      leanQuery<{ project: string; programme: string }>(
        this.db.ds,
        // The statuses are this file's constants, not input: a fixed text per role, prepared once.
        `SELECT p.code AS project, g.code AS programme
           FROM quarterly_update u JOIN project p ON p.id = u.project_id JOIN programme g ON g.id = u.programme_id
          WHERE u.status IN (${statuses.map((st) => `'${st}'`).join(', ')})`,
      ),
    );
    const mayRead = projectScopeTest(actor);
    let n = 0;
    for (const r of rows) if (mayRead(r.programme, r.project)) n++;
    return n;
  }

  /** Updates waiting for the actor: returned ones (to fix) and submitted ones (to review), in one query each. */
  async waiting(actor: Actor) {
    const statuses = waitingStatuses(actor);
    if (!statuses.length) return { several: false, returned: [], submitted: [] };
    return this.db.read(async (m) => {
      const rows: {
        status: string;
        project: string;
        projectName: string;
        programme: string;
        programmeName: string;
        quarter: string;
        programmes: unknown;
      }[] = await m
        .getRepository(QuarterlyUpdate)
        .createQueryBuilder('u')
        .innerJoin(Project, 'p', 'p.id = u.project_id')
        .innerJoin(Programme, 'g', 'g.id = u.programme_id')
        .select([
          'u.status AS status',
          'p.code AS project',
          'p.name AS "projectName"',
          'g.code AS programme',
          'g.name AS "programmeName"',
          'u.quarter AS quarter',
        ])
        // Whether links must name the programme (project codes repeat across programmes), in the same statement.
        .addSelect('(SELECT COUNT(*) FROM programme)', 'programmes')
        .where('u.status IN (:...s)', { s: statuses })
        .orderBy('p.code', 'ASC')
        .getRawMany();
      const mayRead = projectScopeTest(actor);
      const mine = rows.filter((r) => mayRead(r.programme, r.project));
      const several = rows.some((r) => Number(r.programmes) > 1);
      return {
        several,
        returned: mine.filter((r) => r.status === 'returned'),
        submitted: mine.filter((r) => r.status === 'submitted'),
      };
    });
  }
}
