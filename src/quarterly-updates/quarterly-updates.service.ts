import { Injectable } from '@nestjs/common';
import { Actor } from '../auth/actor';
import { projectScopeTest } from '../auth/scope';
import { formatQuarter, quarterEnd } from '../common/fiscal';
import { Db } from '../database/db.service';
import { leanQuery } from '../database/lean-read';
import { PeriodsService } from '../periods/periods.service';
import { Programme } from '../programmes/programme.entity';
import { Project } from '../projects/project.entity';
import { QuarterlyUpdate, UpdateStatus } from './quarterly-update.entity';
import { presentRisk, RisksService } from '../risks/risks.service';
import { STATUS_LABELS, EDITABLE, TASK_LABELS, outputsTaskStatus, risksTaskStatus } from './update-model';
import { UpdateReader } from './update-reader';

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
   * projects: three queries whatever the number of projects. The projects and their updates
   * are one statement on the lean read path: as entities, a national programme's 461 projects
   * and their updates cost several times the query itself on every page view.
   */
  taskList(actor: Actor, programmeCode?: string) {
    return this.db.read(async (m) => {
      const prog = await this.reader.programme(m, programmeCode);
      const quarter = formatQuarter(await this.periods.currentQuarter(m, prog));
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

  /** Updates waiting for the actor: returned ones (to fix) and submitted ones (to review), in one query each. */
  async waiting(actor: Actor) {
    const wantReturned = ['delivery_partner', 'programme_manager', 'admin'].includes(actor.role);
    const wantSubmitted = ['programme_manager', 'admin'].includes(actor.role);
    if (!wantReturned && !wantSubmitted) return { several: false, returned: [], submitted: [] };
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
        .where('u.status IN (:...s)', {
          s: [...(wantReturned ? ['returned'] : []), ...(wantSubmitted ? ['submitted'] : [])],
        })
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
