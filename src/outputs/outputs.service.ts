import { Project } from '../projects/project.entity';
import { Injectable } from '@nestjs/common';
import { assertProjectScope } from '../auth/scope';
import { EntityManager, IsNull } from 'typeorm';
import { Actor } from '../auth/actor';
import { AuditService, AuditTo } from '../audit/audit.service';
import {
  DuplicateError,
  NotFoundError,
  RuleViolationError,
  UnknownReferenceError,
  ValidationError,
} from '../common/errors';
import { formatQuarter } from '../common/fiscal';
import { presentSource } from '../common/present-source';
import { Db } from '../database/db.service';
import { updateVersioned } from '../database/versioned';
import { PeriodsService } from '../periods/periods.service';
import { codeMaps, findProgramme, findProject } from '../programmes/programme-lookup';
import { Programme } from '../programmes/programme.entity';
import { outputRag, thresholdsOf } from '../rag/rag';
import { toInt } from '../database/sql-values';
import { CreateMetricDto, CreateOutputActualDto, SetOutputPlanDto, UpdateOutputActualDto } from './dto/output.dto';
import { OutputActual, OutputMetric, OutputTarget } from './output.entities';
import { claimSums, countOnce } from './output-totals';
import { formatQuantity, parseQuantity, UNIT_SCALE, UNIT_STORED } from './output-units';

export function normaliseClaimKey(k: string): string {
  return k.trim().replace(/\s+/g, ' ').toUpperCase();
}

export function presentMetric(x: OutputMetric) {
  return {
    code: x.code,
    name: x.name,
    unit: x.unit,
    kind: x.kind,
    storedUnit: x.storedUnit,
    scale: x.scale,
    core: x.core,
  };
}

@Injectable()
export class OutputsService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly periods: PeriodsService,
  ) {}

  metrics() {
    return this.db.read(async (m) =>
      (await m.find(OutputMetric, { order: { position: 'ASC', code: 'ASC' } })).map(presentMetric),
    );
  }

  createMetric(dto: CreateMetricDto, actor: Actor) {
    return this.db.write(async (m) => {
      if (await m.findOne(OutputMetric, { where: { code: dto.code } }))
        throw new DuplicateError('metric', 'code', dto.code);
      const max = await m
        .createQueryBuilder(OutputMetric, 'x')
        .select('MAX(x.position)', 'n')
        .getRawOne<{ n: unknown }>();
      const row = {
        code: dto.code,
        name: dto.name,
        unit: dto.unit,
        kind: 'per_period',
        storedUnit: UNIT_STORED[dto.unit],
        scale: UNIT_SCALE[dto.unit],
        core: false,
        position: toInt(max?.n) + 1,
      };
      await m.insert(OutputMetric, row);
      await this.audit.record(m, actor, { entity: 'output_metric', entityId: dto.code, action: 'create', after: row });
      return presentMetric(row as OutputMetric);
    });
  }

  private async metric(m: EntityManager, code: string) {
    const x = await m.findOne(OutputMetric, { where: { code } });
    if (!x) throw new NotFoundError('output metric', code, 'metric');
    return x;
  }

  private quantity(input: unknown, metric: OutputMetric, field: string): number {
    const r = parseQuantity(input, metric, field);
    if ('problem' in r) throw new ValidationError([r.problem]);
    return r.value;
  }

  /** Programme view: per metric the programme target, project targets and forecasts, and claims counted once. */
  programme(code: string) {
    return this.db.read(async (m) => {
      const prog = await findProgramme(m, code);
      const codes = (await codeMaps(m, prog.id)).project;
      const metrics = await m.find(OutputMetric, { order: { position: 'ASC' } });
      const targets = await m.find(OutputTarget, { where: { programmeId: prog.id } });
      const { totals, doubleClaims } = countOnce(await claimSums(m, prog.id));
      const t = thresholdsOf(prog.ragThresholds);
      const illustrative = (await m.count(OutputActual, { where: { programmeId: prog.id, illustrative: true } })) > 0;
      const rows = metrics
        .map((x) => {
          const fmt = (v: number | null) => (v === null ? null : formatQuantity(v, x));
          const programmeTarget = targets.find((g) => g.metricCode === x.code && g.projectId === null) ?? null;
          const projectRows = targets.filter((g) => g.metricCode === x.code && g.projectId !== null);
          const total = totals.get(x.code);
          if (!programmeTarget && !projectRows.length && !total) return null;
          const forecasts = projectRows.filter((g) => g.forecastValue !== null);
          const forecast = forecasts.length ? forecasts.reduce((s, g) => s + g.forecastValue!, 0) : null;
          return {
            metric: x.code,
            name: x.name,
            unit: x.unit,
            programmeTarget: programmeTarget
              ? {
                  value: fmt(programmeTarget.targetValue),
                  notes: programmeTarget.notes,
                  source: presentSource(programmeTarget.source),
                }
              : null,
            projectTargets: fmt(projectRows.reduce((s, g) => s + (g.targetValue ?? 0), 0)),
            projectForecasts: fmt(forecast),
            claimed: fmt(total?.claimed ?? 0),
            doubleClaimRemoved: fmt(total?.removed ?? 0),
            cumulative: fmt(total?.total ?? 0),
            rag: outputRag(
              {
                metric: x.code,
                forecast,
                target: programmeTarget?.targetValue ?? null,
                display: (v) => formatQuantity(v, x),
              },
              t,
            ),
          };
        })
        .filter((r) => r !== null);
      const byCode = new Map(metrics.map((x) => [x.code, x]));
      return {
        illustrative,
        metrics: rows,
        doubleClaims: doubleClaims.map((d) => ({
          metric: d.metric,
          claimKey: d.claimKey,
          claims: d.claims.map((c) => ({
            project: codes.get(c.projectId) ?? String(c.projectId),
            value: formatQuantity(c.value, byCode.get(d.metric)!),
          })),
          counted: formatQuantity(d.countedValue, byCode.get(d.metric)!),
          removed: formatQuantity(d.removedValue, byCode.get(d.metric)!),
          explanation: `${d.claimKey} is claimed by ${d.claims.length} projects: the largest claim is counted once in programme totals`,
        })),
      };
    });
  }

  /** One project: per metric target, forecast, cumulative (derived) and every quarterly claim. */
  project(code: string, projectCode: string) {
    return this.db.read(async (m) => {
      const prog = await findProgramme(m, code);
      const project = await findProject(m, prog.id, projectCode);
      const metrics = new Map((await m.find(OutputMetric)).map((x) => [x.code, x]));
      const targets = await m.find(OutputTarget, { where: { projectId: project.id } });
      const actuals = await m.find(OutputActual, {
        where: { projectId: project.id },
        order: { metricCode: 'ASC', quarter: 'ASC', claimKey: 'ASC' },
      });
      const shared = new Set(
        countOnce(await claimSums(m, prog.id)).doubleClaims.map((d) => `${d.metric}|${d.claimKey}`),
      );
      const t = thresholdsOf(prog.ragThresholds);
      const codesUsed = [...new Set([...targets.map((g) => g.metricCode), ...actuals.map((a) => a.metricCode)])].sort();
      return {
        project: project.code,
        metrics: codesUsed.map((c) => {
          const x = metrics.get(c)!;
          const g = targets.find((r) => r.metricCode === c);
          const claims = actuals.filter((a) => a.metricCode === c);
          const cumulative = claims.reduce((s, a) => s + a.value, 0);
          return {
            metric: c,
            unit: x.unit,
            target: g?.targetValue == null ? null : formatQuantity(g.targetValue, x),
            forecast: g?.forecastValue == null ? null : formatQuantity(g.forecastValue, x),
            cumulative: formatQuantity(cumulative, x),
            planVersion: g?.version ?? null,
            rag: outputRag(
              {
                metric: c,
                forecast: g?.forecastValue ?? null,
                target: g?.targetValue ?? null,
                display: (v) => formatQuantity(v, x),
              },
              t,
            ),
            actuals: claims.map((a) => presentActual(a, project.code, x, shared.has(`${c}|${a.claimKey}`))),
          };
        }),
      };
    });
  }

  /** Target (once) and latest forecast for a project, or the programme's own target when projectCode is null. */
  setPlan(code: string, projectCode: string | null, metricCode: string, dto: SetOutputPlanDto, actor: Actor) {
    return this.db.write(async (m) => {
      const prog = await findProgramme(m, code);
      const project = projectCode ? await findProject(m, prog.id, projectCode) : null;
      return this.setPlanIn(m, prog, project, metricCode, dto, actor);
    });
  }

  /** setPlan inside a caller's transaction (an accepted quarterly update's forecasts, audited in its one entry). */
  async setPlanIn(
    m: EntityManager,
    prog: Programme,
    project: Project | null,
    metricCode: string,
    dto: SetOutputPlanDto,
    actor: Actor,
    audit: AuditTo = true,
  ) {
    const x = await this.metric(m, metricCode);
    if (dto.target === undefined && dto.forecast === undefined)
      throw new ValidationError([{ field: 'target', problem: 'give a target, a forecast or both' }]);
    if (!project && dto.forecast !== undefined)
      throw new ValidationError([
        { field: 'forecast', problem: 'forecasts are per project; the programme’s forecast is their sum' },
      ]);
    const target = dto.target === undefined ? undefined : this.quantity(dto.target, x, 'target');
    const forecast = dto.forecast === undefined ? undefined : this.quantity(dto.forecast, x, 'forecast');
    const before = await m.findOne(OutputTarget, {
      where: { programmeId: prog.id, projectId: project ? project.id : IsNull(), metricCode },
    });
    const now = new Date().toISOString();
    let after: OutputTarget;
    if (before) {
      if (dto.version === undefined)
        throw new ValidationError([
          { field: 'version', problem: `is required to change an existing row (current version ${before.version})` },
        ]);
      if (target !== undefined && before.targetValue !== null && target !== before.targetValue) {
        throw new RuleViolationError(
          'BASELINE_CHANGE_REQUIRED',
          'an output target, once set, changes only through an approved re-baseline change request',
          'target',
        );
      }
      after = await updateVersioned(m, OutputTarget, 'output plan', before.id, dto.version, {
        ...(target !== undefined ? { targetValue: target } : {}),
        ...(forecast !== undefined ? { forecastValue: forecast } : {}),
        updatedAt: now,
      });
    } else {
      const r = await m.insert(OutputTarget, {
        programmeId: prog.id,
        projectId: project?.id ?? null,
        metricCode,
        targetValue: target ?? null,
        forecastValue: forecast ?? null,
        notes: null,
        source: { document: null, section: null, quote: null, printed: null, illustrative: false },
        updatedAt: now,
      });
      after = await m.findOneByOrFail(OutputTarget, { id: r.identifiers[0].id as number });
    }
    const out = presentPlan(after, project?.code ?? null, x);
    await this.audit.recordTo(m, actor, audit, {
      programmeId: prog.id,
      projectId: project?.id ?? null,
      entity: 'output_target',
      entityId: after.id,
      action: before ? 'update' : 'create',
      before: before ? presentPlan(before, project?.code ?? null, x) : null,
      after: out,
    });
    return out;
  }

  /** Moves a target: for the change-request approval service only, inside its transaction. */
  async rebaselineTarget(
    m: EntityManager,
    actor: Actor,
    targetId: number,
    targetValue: number,
    meta: Record<string, unknown> = {},
  ) {
    const before = await m.findOne(OutputTarget, { where: { id: targetId } });
    if (!before) throw new NotFoundError('output target', targetId, 'target');
    if (!Number.isSafeInteger(targetValue) || targetValue < 0)
      throw new RuleViolationError(
        'INVALID_TARGET',
        'a target is a whole, non-negative number of stored units',
        'target',
      );
    const x = await this.metric(m, before.metricCode);
    const after = await updateVersioned(m, OutputTarget, 'output plan', targetId, before.version, {
      targetValue,
      updatedAt: new Date().toISOString(),
    });
    await this.audit.record(m, actor, {
      programmeId: before.programmeId,
      projectId: before.projectId,
      entity: 'output_target',
      entityId: targetId,
      action: 'rebaseline',
      before: presentPlan(before, null, x),
      after: presentPlan(after, null, x),
      meta,
    });
    return { before, after };
  }

  addActual(code: string, projectCode: string, metricCode: string, dto: CreateOutputActualDto, actor: Actor) {
    return this.db.write(async (m) => {
      const prog = await findProgramme(m, code);
      await this.periods.hold(m, prog.id);
      return this.addActualIn(m, prog, await findProject(m, prog.id, projectCode), metricCode, dto, actor);
    });
  }

  /** Inside a caller's transaction; `audit` false when the caller records one entry for a whole import. */
  async addActualIn(
    m: EntityManager,
    prog: Programme,
    project: Project,
    metricCode: string,
    dto: CreateOutputActualDto,
    actor: Actor,
    audit: AuditTo = true,
  ) {
    const { x, value, quarter, claimKey } = await this.checkActualIn(m, prog, project, metricCode, dto);
    const r = await m.insert(OutputActual, {
      programmeId: prog.id,
      projectId: project.id,
      metricCode,
      quarter,
      value,
      claimKey,
      evidence: dto.evidence ?? null,
      illustrative: false,
      recordedBy: actor.name,
      updatedAt: new Date().toISOString(),
    });
    const a = await m.findOneByOrFail(OutputActual, { id: r.identifiers[0].id as number });
    const others = await this.otherClaimants(m, prog, a);
    const out = { ...presentActual(a, project.code, x, others.length > 0), sharedWith: others };
    await this.audit.recordTo(m, actor, audit, {
      programmeId: prog.id,
      projectId: project.id,
      entity: 'output_actual',
      entityId: a.id,
      action: 'create',
      after: out,
      meta: others.length ? { doubleClaim: true, sharedWith: others } : null,
    });
    return out;
  }

  /**
   * Every rule a new claim obeys, without writing it: the metric exists, the value is a whole,
   * non-negative number of stored units, the quarter may take actuals (not future, not locked,
   * not after the monitoring end), the claim key is not blank and the project has not already
   * claimed it for that metric and quarter. `sharedWith` names other projects claiming the same
   * key (a double claim: flagged and counted once, not refused).
   */
  async checkActualIn(
    m: EntityManager,
    prog: Programme,
    project: Project,
    metricCode: string,
    dto: CreateOutputActualDto,
  ) {
    const x = await this.metric(m, metricCode);
    const value = this.quantity(dto.value, x, 'value');
    const quarter = formatQuarter(await this.periods.assertOutputActualEditable(m, prog, dto.quarter));
    const claimKey = normaliseClaimKey(dto.claimKey);
    if (!claimKey) throw new ValidationError([{ field: 'claimKey', problem: 'must not be blank' }]);
    if (await m.findOne(OutputActual, { where: { projectId: project.id, metricCode, quarter, claimKey } })) {
      throw new DuplicateError('claim', 'claimKey', `${claimKey} in ${quarter}`);
    }
    const sharedWith = await this.otherClaimants(m, prog, { metricCode, claimKey, projectId: project.id });
    return { x, value, quarter, claimKey, sharedWith };
  }

  updateActual(code: string, id: number, dto: UpdateOutputActualDto, actor: Actor) {
    return this.db.write(async (m) => {
      const prog = await findProgramme(m, code);
      await this.periods.hold(m, prog.id);
      return this.updateActualIn(m, prog, id, dto, actor);
    });
  }

  async updateActualIn(
    m: EntityManager,
    prog: Programme,
    id: number,
    dto: UpdateOutputActualDto,
    actor: Actor,
    audit: AuditTo = true,
  ) {
    const before = await m.findOne(OutputActual, { where: { id, programmeId: prog.id } });
    if (!before) throw new NotFoundError('output actual', id, 'id');
    // The route names the claim by id, not its project: a programme manager's scope is checked here.
    assertProjectScope(actor, prog.code, (await codeMaps(m, prog.id)).project.get(before.projectId), 'id');
    const x = await this.metric(m, before.metricCode);
    await this.periods.assertOutputActualEditable(m, prog, before.quarter);
    const changes: Partial<OutputActual> = { updatedAt: new Date().toISOString() };
    if (dto.value !== undefined) changes.value = this.quantity(dto.value, x, 'value');
    if (dto.evidence !== undefined) changes.evidence = dto.evidence;
    const after = await updateVersioned(m, OutputActual, 'output actual', id, dto.version, changes);
    const project = (await codeMaps(m, prog.id)).project.get(after.projectId) ?? '';
    const others = await this.otherClaimants(m, prog, after);
    const out = { ...presentActual(after, project, x, others.length > 0), sharedWith: others };
    await this.audit.recordTo(m, actor, audit, {
      programmeId: prog.id,
      projectId: after.projectId,
      entity: 'output_actual',
      entityId: id,
      action: 'update',
      before: presentActual(before, project, x, others.length > 0),
      after: out,
    });
    return out;
  }

  private async otherClaimants(
    m: EntityManager,
    prog: Programme,
    a: Pick<OutputActual, 'metricCode' | 'claimKey' | 'projectId'>,
  ): Promise<string[]> {
    const rows = await m
      .createQueryBuilder(OutputActual, 'o')
      .select('DISTINCT o.project_id', 'projectId')
      .where('o.programme_id = :p AND o.metric_code = :c AND o.claim_key = :k AND o.project_id <> :j', {
        p: prog.id,
        c: a.metricCode,
        k: a.claimKey,
        j: a.projectId,
      })
      .getRawMany<{ projectId: unknown }>();
    const codes = (await codeMaps(m, prog.id)).project;
    return rows.map((r) => codes.get(toInt(r.projectId)) ?? '').sort();
  }

  async assertMetric(m: EntityManager, code: string, field = 'metric') {
    if (!(await m.findOne(OutputMetric, { where: { code } })))
      throw new UnknownReferenceError(field, 'output metric', code);
  }
}

export function presentActual(a: OutputActual, project: string, x: OutputMetric, doubleClaim: boolean) {
  return {
    id: a.id,
    project,
    metric: a.metricCode,
    quarter: a.quarter,
    value: formatQuantity(a.value, x),
    unit: x.unit,
    claimKey: a.claimKey,
    evidence: a.evidence,
    doubleClaim,
    illustrative: a.illustrative,
    recordedBy: a.recordedBy,
    version: a.version,
  };
}

export function presentPlan(g: OutputTarget, project: string | null, x: OutputMetric) {
  return {
    id: g.id,
    level: g.projectId ? 'project' : 'programme',
    project,
    metric: g.metricCode,
    unit: x.unit,
    target: g.targetValue === null ? null : formatQuantity(g.targetValue, x),
    forecast: g.forecastValue === null ? null : formatQuantity(g.forecastValue, x),
    notes: g.notes,
    source: presentSource(g.source),
    illustrative: g.source?.illustrative ?? false,
    version: g.version,
  };
}
