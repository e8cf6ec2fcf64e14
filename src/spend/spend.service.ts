import { presentSource } from '../common/present-source';
import { provenanceOf, SeedProvenance } from '../common/provenance';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor } from '../auth/actor';
import { AuditService, AuditTo } from '../audit/audit.service';
import { FieldProblem, LockedError, RuleViolationError, ValidationError } from '../common/errors';
import { formatQuarter, parseQuarter } from '../common/fiscal';
import { displayPounds, formatPounds, parsePounds } from '../common/money';
import { Db } from '../database/db.service';
import { serialiseOn } from '../database/serialise';
import { updateVersioned, upsertVersioned } from '../database/versioned';
import { Allocation } from '../funding/allocation.entity';
import { PeriodsService } from '../periods/periods.service';
import { codeMaps, findProgramme, findProject } from '../programmes/programme-lookup';
import { Programme } from '../programmes/programme.entity';
import { Project } from '../projects/project.entity';
import { onlyProgramme, parseActualsCsv } from './actuals-csv';
import { CreateAdjustmentDto, CreateRepaymentDto, SetActualDto, SetForecastDto } from './dto/spend.dto';
import { outturnOf } from './outturn';
import { reportingPosition } from '../periods/reporting-position';
import { lastReturn, spendAggregates } from './spend-aggregates';
import { presentFigures, rollUp } from './spend-figures';
import { SpendAdjustment, SpendProfileLine } from './spend.entities';

export function presentLine(l: SpendProfileLine, project: string, locked: boolean) {
  return {
    id: l.id,
    project,
    sourceKind: l.sourceKind,
    quarter: l.quarter,
    baseline: formatPounds(l.baselinePence),
    forecast: formatPounds(l.forecastPence),
    actual: l.actualPence === null ? null : formatPounds(l.actualPence),
    slippage: formatPounds(l.forecastPence - l.baselinePence),
    locked,
    illustrative: l.illustrative,
    version: l.version,
  };
}

export function presentAdjustment(a: SpendAdjustment, project: string) {
  return {
    id: a.id,
    kind: a.kind,
    project,
    sourceKind: a.sourceKind,
    recordedInQuarter: a.recordedInQuarter,
    correctsQuarter: a.correctsQuarter,
    amount: formatPounds(a.amountPence),
    reason: a.reason,
    reference: a.reference,
    source: presentSource(a.source),
    recordedBy: a.recordedBy,
    recordedAt: a.recordedAt,
    illustrative: a.illustrative,
  };
}

/** A baseline change applied by an approved re-profile change request. */
export interface BaselineChange {
  projectId: number;
  sourceKind: string;
  quarter: string;
  baselinePence: number;
}

@Injectable()
export class SpendService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly periods: PeriodsService,
  ) {}

  /** Derived figures per line, per project, per source and for the programme. */
  summary(code: string) {
    return this.db.read(async (m) => {
      const prog = await findProgramme(m, code);
      return this.figures(m, prog);
    });
  }

  async figures(m: EntityManager, prog: Programme, projectId?: number) {
    const pos = await reportingPosition(m, this.periods, prog);
    const codes = await codeMaps(m, prog.id);
    const aggs = await spendAggregates(m, prog, pos, codes.project, projectId);
    const last = await lastReturn(m, prog, pos);
    for (const a of aggs)
      a.lastReturnForecastPence = last.forecasts ? (last.forecasts.get(`${a.project}|${a.sourceKind}`) ?? null) : null;
    const r = rollUp(aggs);
    const illustrative = (await m.count(SpendProfileLine, { where: { programmeId: prog.id, illustrative: true } })) > 0;
    return {
      reportingQuarter: pos.quarterCode,
      reportingYear: pos.year,
      lastReturn: {
        quarter: last.quarter,
        version: last.version,
        varianceAvailable: last.forecasts !== null,
        reason: last.reason,
      },
      illustrative,
      notes: [
        'Forecasts take actuals for closed (submitted) quarters and the latest forecast for open ones; prior-period adjustments count in spend to date and in the quarter they correct.',
        'Pooled private match is reported at pool level and has no project spend lines.',
      ],
      lines: r.lines.map((l) => ({ project: l.project, sourceKind: l.sourceKind, ...presentFigures(l.figures) })),
      byProject: r.byProject.map((p) => ({ project: p.project, ...presentFigures(p.figures) })),
      bySource: r.bySource.map((s) => ({ sourceKind: s.sourceKind, ...presentFigures(s.figures) })),
      programme: presentFigures(r.programme),
    };
  }

  /** One project's quarterly profile, its adjustments and its derived figures. */
  project(code: string, projectCode: string) {
    return this.db.read(async (m) => {
      const prog = await findProgramme(m, code);
      const project = await findProject(m, prog.id, projectCode);
      const submitted = await this.periods.submittedQuarters(m, prog.id);
      const lines = await m.find(SpendProfileLine, {
        where: { projectId: project.id },
        order: { sourceKind: 'ASC', quarter: 'ASC' },
      });
      const adjustments = await m.find(SpendAdjustment, { where: { projectId: project.id }, order: { id: 'ASC' } });
      const figures = await this.figures(m, prog, project.id);
      return {
        project: project.code,
        ...figures,
        profile: lines.map((l) => presentLine(l, project.code, submitted.has(l.quarter))),
        adjustments: adjustments.map((a) => presentAdjustment(a, project.code)),
      };
    });
  }

  adjustments(code: string) {
    return this.db.read(async (m) => {
      const prog = await findProgramme(m, code);
      const codes = await codeMaps(m, prog.id);
      const rows = await m.find(SpendAdjustment, { where: { programmeId: prog.id }, order: { id: 'ASC' } });
      return { items: rows.map((a) => presentAdjustment(a, codes.project.get(a.projectId) ?? '')), total: rows.length };
    });
  }

  /** Spend lines exist only for source kinds the project holds a project-level approved allocation of. */
  private async assertProjectSource(m: EntityManager, prog: Programme, project: Project, sourceKind: string) {
    const n = await m
      .createQueryBuilder(Allocation, 'a')
      .where(`a.programme_id = :p AND a.project_id = :j AND a.source_kind = :k AND a.approval_state = 'approved'`, {
        p: prog.id,
        j: project.id,
        k: sourceKind,
      })
      .getCount();
    if (!n) {
      throw new RuleViolationError(
        'NO_PROJECT_ALLOCATION',
        `${project.code} has no approved project-level ${sourceKind} allocation: spend is profiled only for a project's own source kinds (pooled match is reported at pool level)`,
        'sourceKind',
      );
    }
  }

  private async lineFor(
    m: EntityManager,
    prog: Programme,
    project: Project,
    sourceKind: string,
    quarter: string,
    version: number | undefined,
  ) {
    const line = await m.findOne(SpendProfileLine, { where: { projectId: project.id, sourceKind, quarter } });
    if (line && version === undefined)
      throw new ValidationError([
        { field: 'version', problem: `is required to change an existing line (current version ${line.version})` },
      ]);
    if (!line) await this.assertProjectSource(m, prog, project, sourceKind);
    return line;
  }

  setForecast(code: string, projectCode: string, dto: SetForecastDto, actor: Actor) {
    return this.lineWrite(code, projectCode, (m, prog, project) => this.setForecastIn(m, prog, project, dto, actor));
  }

  /**
   * A user's write of one spend line (forecast or actual): its own transaction, holding the
   * programme's periods so a return cannot be submitted (and the quarter locked) half-way.
   */
  private lineWrite<T>(
    code: string,
    projectCode: string,
    write: (m: EntityManager, prog: Programme, project: Project) => Promise<T>,
  ): Promise<T> {
    return this.db.write(async (m) => {
      const prog = await findProgramme(m, code);
      await this.periods.hold(m, prog.id);
      return write(m, prog, await findProject(m, prog.id, projectCode));
    });
  }

  /** Inside a caller's transaction (a partner update applies many rows at once, audited as one entry when `audit` is false). */
  async setForecastIn(
    m: EntityManager,
    prog: Programme,
    project: Project,
    dto: SetForecastDto,
    actor: Actor,
    audit: AuditTo = true,
  ) {
    const q = this.periods.checkInProgramme(prog, dto.quarter);
    const quarter = formatQuarter(q);
    if (await this.periods.isLocked(m, prog.id, quarter))
      throw new LockedError(
        `${quarter} is locked: its return has been submitted, so its forecast is history`,
        'quarter',
      );
    const pence = parsePounds(dto.forecast);
    return this.upsert(
      m,
      prog,
      project,
      dto.sourceKind,
      quarter,
      dto.version,
      { forecastPence: pence },
      actor,
      'set_forecast',
      audit,
    );
  }

  setActual(code: string, projectCode: string, dto: SetActualDto, actor: Actor) {
    return this.lineWrite(code, projectCode, (m, prog, project) => this.setActualIn(m, prog, project, dto, actor));
  }

  async setActualIn(
    m: EntityManager,
    prog: Programme,
    project: Project,
    dto: SetActualDto,
    actor: Actor,
    audit: AuditTo = true,
  ) {
    const q = await this.periods.assertActualEditable(m, prog, dto.quarter);
    return this.upsert(
      m,
      prog,
      project,
      dto.sourceKind,
      formatQuarter(q),
      dto.version,
      { actualPence: parsePounds(dto.actual) },
      actor,
      'set_actual',
      audit,
    );
  }

  private async upsert(
    m: EntityManager,
    prog: Programme,
    project: Project,
    sourceKind: string,
    quarter: string,
    version: number | undefined,
    changes: Partial<SpendProfileLine>,
    actor: Actor,
    action: string,
    audit: AuditTo = true,
  ) {
    const before = await this.lineFor(m, prog, project, sourceKind, quarter, version);
    const now = new Date().toISOString();
    // lineFor has already required the caller's version wherever a line exists.
    const after = await upsertVersioned(
      m,
      SpendProfileLine,
      'spend line',
      before,
      version,
      { ...changes, updatedAt: now },
      {
        programmeId: prog.id,
        projectId: project.id,
        sourceKind,
        quarter,
        baselinePence: 0,
        forecastPence: 0,
        actualPence: null,
        illustrative: false,
        updatedAt: now,
        ...changes,
      },
    );
    const locked = await this.periods.isLocked(m, prog.id, quarter);
    await this.audit.recordTo(m, actor, audit, {
      programmeId: prog.id,
      projectId: project.id,
      entity: 'spend_profile',
      entityId: after.id,
      action,
      before: before ? presentLine(before, project.code, locked) : null,
      after: presentLine(after, project.code, locked),
    });
    return presentLine(after, project.code, locked);
  }

  /** A prior-period adjustment: recorded in the reporting quarter, linked to the locked quarter it corrects. */
  addAdjustment(code: string, projectCode: string, dto: CreateAdjustmentDto, actor: Actor) {
    return this.db.write(async (m) => {
      const prog = await findProgramme(m, code);
      const project = await findProject(m, prog.id, projectCode);
      // Two adjustments checked against the same running total must not both pass (each alone
      // keeps it >= 0, together they would not): one at a time per project and source kind.
      await this.periods.hold(m, prog.id);
      await serialiseOn(m, 'spend-line', `${project.id}|${dto.sourceKind}`);
      const corrects = formatQuarter(this.periods.checkInProgramme(prog, dto.correctsQuarter, 'correctsQuarter'));
      const current = formatQuarter(await this.periods.currentQuarter(m, prog));
      if (!(await this.periods.isLocked(m, prog.id, corrects))) {
        throw new RuleViolationError(
          'QUARTER_NOT_LOCKED',
          `${corrects} is not locked: correct its actual directly (adjustments are for submitted quarters)`,
          'correctsQuarter',
        );
      }
      await this.assertProjectSource(m, prog, project, dto.sourceKind);
      const amount = parsePounds(dto.amount);
      const line = await m.findOne(SpendProfileLine, {
        where: { projectId: project.id, sourceKind: dto.sourceKind, quarter: corrects },
      });
      const prior = await m
        .createQueryBuilder(SpendAdjustment, 'a')
        .select('COALESCE(SUM(a.amount_pence), 0)', 'n')
        .where('a.project_id = :j AND a.source_kind = :k AND a.corrects_quarter = :q', {
          j: project.id,
          k: dto.sourceKind,
          q: corrects,
        })
        .getRawOne<{ n: string | number }>();
      const corrected = (line?.actualPence ?? 0) + Number(prior?.n ?? 0) + amount;
      if (corrected < 0) {
        throw new RuleViolationError(
          'NEGATIVE_SPEND',
          `would make ${corrects}'s ${dto.sourceKind} spend negative (£${formatPounds(corrected)})`,
          'amount',
        );
      }
      return this.insertAdjustment(m, actor, { prog, project, dto, current }, 'create', {
        row: { correctsQuarter: corrects, amountPence: amount },
        meta: { correctedSpend: formatPounds(corrected) },
      });
    });
  }

  /**
   * A promoter's repayment of money it had spent: a negative spend line with its reference,
   * recorded in the reporting quarter (it counts in spend to date from then on); past actuals
   * are never rewritten. It cannot repay more than the line has spent.
   */
  addRepayment(code: string, projectCode: string, dto: CreateRepaymentDto, actor: Actor) {
    return this.db.write(async (m) => {
      const prog = await findProgramme(m, code);
      const project = await findProject(m, prog.id, projectCode);
      await this.assertProjectSource(m, prog, project, dto.sourceKind);
      const current = formatQuarter(await this.periods.currentQuarter(m, prog));
      const amount = parsePounds(dto.amount);
      const rows = await m.find(SpendProfileLine, { where: { projectId: project.id, sourceKind: dto.sourceKind } });
      const adjustments = await m.find(SpendAdjustment, {
        where: { projectId: project.id, sourceKind: dto.sourceKind },
      });
      const spent = outturnOf(current, [current, current], rows, adjustments).spendToDate;
      if (amount > spent)
        throw new RuleViolationError(
          'REPAYMENT_ABOVE_SPEND',
          `${project.code} has spent ${formatPounds(spent)} of ${dto.sourceKind} to date: it cannot repay ${formatPounds(amount)}`,
          'amount',
        );
      return this.insertAdjustment(m, actor, { prog, project, dto, current }, 'repayment', {
        row: { correctsQuarter: current, amountPence: -amount, kind: 'repayment', reference: dto.reference },
        meta: { spentBefore: formatPounds(spent), spentAfter: formatPounds(spent - amount) },
      });
    });
  }

  /**
   * Inserts one adjustment or repayment row and audits it, inside the caller's transaction:
   * recorded in the reporting quarter against the request's source kind, with its reason.
   */
  private async insertAdjustment(
    m: EntityManager,
    actor: Actor,
    at: {
      prog: Programme;
      project: Project;
      dto: { sourceKind: string; reason: string; source?: SeedProvenance };
      current: string;
    },
    action: 'create' | 'repayment',
    {
      row,
      meta,
    }: {
      row: Pick<SpendAdjustment, 'correctsQuarter' | 'amountPence'> &
        Partial<Pick<SpendAdjustment, 'kind' | 'reference'>>;
      meta: Record<string, string>;
    },
  ) {
    const { prog, project } = at;
    const r = await m.insert(SpendAdjustment, {
      programmeId: prog.id,
      projectId: project.id,
      sourceKind: at.dto.sourceKind,
      recordedInQuarter: at.current,
      reason: at.dto.reason,
      source: provenanceOf(at.dto.source),
      ...row,
      recordedBy: actor.name,
      recordedAt: new Date().toISOString(),
      illustrative: false,
    });
    const a = await m.findOneByOrFail(SpendAdjustment, { id: r.identifiers[0].id as number });
    const out = presentAdjustment(a, project.code);
    await this.audit.record(m, actor, {
      programmeId: prog.id,
      projectId: project.id,
      entity: 'spend_adjustment',
      entityId: a.id,
      action,
      after: out,
      meta,
    });
    return out;
  }

  /**
   * Writes baseline figures: called by the change-request approval service inside its own
   * transaction (re-profile), never by a user route. Creates missing lines (forecast = baseline).
   */
  async applyBaseline(
    m: EntityManager,
    actor: Actor,
    programmeId: number,
    changes: BaselineChange[],
    meta: Record<string, unknown> = {},
  ) {
    const out: { before: ReturnType<typeof presentLine> | null; after: ReturnType<typeof presentLine> }[] = [];
    const codes = (await codeMaps(m, programmeId)).project;
    for (const c of changes) {
      const quarter = formatQuarter(parseQuarter(c.quarter));
      if (c.baselinePence < 0 || !Number.isSafeInteger(c.baselinePence))
        throw new RuleViolationError('NEGATIVE_SPEND', 'a baseline cannot be negative', 'baseline');
      const before = await m.findOne(SpendProfileLine, {
        where: { projectId: c.projectId, sourceKind: c.sourceKind, quarter },
      });
      const now = new Date().toISOString();
      let after: SpendProfileLine;
      if (before) {
        after = await updateVersioned(m, SpendProfileLine, 'spend line', before.id, before.version, {
          baselinePence: c.baselinePence,
          updatedAt: now,
        });
      } else {
        const r = await m.insert(SpendProfileLine, {
          programmeId,
          projectId: c.projectId,
          sourceKind: c.sourceKind,
          quarter,
          baselinePence: c.baselinePence,
          forecastPence: c.baselinePence,
          actualPence: null,
          illustrative: false,
          updatedAt: now,
        });
        after = await m.findOneByOrFail(SpendProfileLine, { id: r.identifiers[0].id as number });
      }
      const project = codes.get(c.projectId) ?? String(c.projectId);
      const entry = {
        before: before ? presentLine(before, project, false) : null,
        after: presentLine(after, project, false),
      };
      await this.audit.record(m, actor, {
        programmeId,
        projectId: c.projectId,
        entity: 'spend_profile',
        entityId: after.id,
        action: 'rebaseline',
        before: entry.before,
        after: entry.after,
        meta,
      });
      out.push(entry);
    }
    return out;
  }

  /**
   * Bulk actuals from a CSV (columns project,sourceKind,quarter,actual[,note]; loose pounds).
   * Every row is checked before anything is written; any problem refuses the whole file with
   * "line N, column: problem" messages. One audit entry carries the row count and the file's SHA-256.
   */
  importActualsCsv(
    programmeCode: string | undefined,
    text: string,
    file: { name: string; sha256: string },
    actor: Actor,
    opts: { replace?: boolean } = {},
  ): Promise<{ programme: string; rows: number; lines: ImportedActual[] }> {
    return this.db.write(async (m) => {
      const prog = programmeCode ? await findProgramme(m, programmeCode) : await onlyProgramme(m);
      await this.periods.hold(m, prog.id);
      const parsed = parseActualsCsv(text);
      const problems = [...parsed.problems];
      const codes = await codeMaps(m, prog.id);
      const projectIds = new Map([...codes.project].map(([id, c]) => [c, id]));
      const allocated = new Set(
        (
          await m
            .createQueryBuilder(Allocation, 'a')
            .select('DISTINCT a.project_id', 'projectId')
            .addSelect('a.source_kind', 'sourceKind')
            .where(`a.programme_id = :p AND a.project_id IS NOT NULL AND a.approval_state = 'approved'`, { p: prog.id })
            .getRawMany<{ projectId: number | string; sourceKind: string }>()
        ).map((r) => `${Number(r.projectId)}|${r.sourceKind}`),
      );
      const seen = new Map<string, number>();
      const rows: {
        line: number;
        projectId: number;
        project: string;
        sourceKind: string;
        quarter: string;
        actualPence: number;
        note: string | null;
      }[] = [];
      for (const r of parsed.rows) {
        const projectId = projectIds.get(r.project);
        if (projectId === undefined) {
          problems.push({
            field: `line ${r.line}, project`,
            problem: `project "${r.project}" does not exist in ${prog.code}`,
          });
          continue;
        }
        if (!allocated.has(`${projectId}|${r.sourceKind}`)) {
          problems.push({
            field: `line ${r.line}, sourceKind`,
            problem: `${r.project} has no approved project-level ${r.sourceKind} allocation`,
          });
          continue;
        }
        try {
          await this.periods.assertActualEditable(m, prog, r.quarter);
        } catch (e) {
          problems.push({ field: `line ${r.line}, quarter`, problem: (e as Error).message.replace(/^quarter: /, '') });
          continue;
        }
        const key = `${r.project}|${r.sourceKind}|${r.quarter}`;
        if (seen.has(key)) {
          problems.push({
            field: `line ${r.line}, quarter`,
            problem: `repeats line ${seen.get(key)} (${r.project} ${r.sourceKind} ${r.quarter})`,
          });
          continue;
        }
        seen.set(key, r.line);
        rows.push({ ...r, projectId });
      }
      const lineOf = (f: string) => Number(/^line (\d+)/.exec(f)?.[1] ?? 0);
      if (problems.length) throw new ValidationError(problems.sort((a, b) => lineOf(a.field) - lineOf(b.field)));
      // An existing figure is replaced only when asked: a typo (£12,000 for £120,000) must not
      // silently overwrite a recorded actual. The same figure again is no change at all.
      const lines: ImportedActual[] = [];
      const existing = new Map<number, SpendProfileLine>();
      for (const r of rows) {
        const before = await m.findOne(SpendProfileLine, {
          where: { projectId: r.projectId, sourceKind: r.sourceKind, quarter: r.quarter },
        });
        const old = before?.actualPence ?? null;
        if (before) existing.set(r.line, before);
        lines.push({
          line: r.line,
          project: r.project,
          sourceKind: r.sourceKind,
          quarter: r.quarter,
          actual: formatPounds(r.actualPence),
          before: old === null ? null : formatPounds(old),
          outcome: old === null ? 'new' : old === r.actualPence ? 'unchanged' : 'replaced',
        });
      }
      const conflicts = lines.filter((l) => l.outcome === 'replaced');
      if (conflicts.length && !opts.replace)
        throw new ActualsConflictError(
          conflicts.map((l) => ({
            field: `line ${l.line}, actual`,
            problem: `${l.project} ${l.sourceKind} ${l.quarter} already has ${displayPounds(parsePounds(l.before!))}; the file says ${displayPounds(parsePounds(l.actual))} (--replace replaces it)`,
          })),
          lines,
        );
      const now = new Date().toISOString();
      const changes: unknown[] = [];
      const touched = new Set<number>();
      for (const r of rows) {
        const l = lines.find((x) => x.line === r.line)!;
        if (l.outcome === 'unchanged') continue;
        touched.add(r.projectId);
        const before = existing.get(r.line);
        if (before) {
          await updateVersioned(m, SpendProfileLine, 'spend line', before.id, before.version, {
            actualPence: r.actualPence,
            updatedAt: now,
          });
        } else {
          await m.insert(SpendProfileLine, {
            programmeId: prog.id,
            projectId: r.projectId,
            sourceKind: r.sourceKind,
            quarter: r.quarter,
            baselinePence: 0,
            forecastPence: 0,
            actualPence: r.actualPence,
            illustrative: false,
            updatedAt: now,
          });
        }
        changes.push({
          line: r.line,
          project: r.project,
          sourceKind: r.sourceKind,
          quarter: r.quarter,
          before: l.before,
          after: l.actual,
          note: r.note,
        });
      }
      const written = changes.length;
      if (written)
        await this.audit.record(m, actor, {
          programmeId: prog.id,
          entity: 'spend_profile',
          action: 'import_actuals',
          projectIds: touched,
          after: changes,
          meta: {
            file: file.name,
            sha256: file.sha256,
            rows: written,
            replaced: conflicts.length,
            unchanged: rows.length - written,
          },
        });
      return { programme: prog.code, rows: written, lines };
    });
  }
}

/** One CSV line as read back to the user: the parsed amount, and what it does to the stored figure. */
export interface ImportedActual {
  line: number;
  project: string;
  sourceKind: string;
  quarter: string;
  /** The parsed amount, canonical pounds. */
  actual: string;
  /** The figure stored before, or null when there was none. */
  before: string | null;
  outcome: 'new' | 'replaced' | 'unchanged';
}

/** Lines that would replace a recorded actual, without --replace: nothing is written. */
export class ActualsConflictError extends ValidationError {
  constructor(
    problems: FieldProblem[],
    readonly lines: ImportedActual[],
  ) {
    super(problems);
  }
}
