import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { RuleViolationError } from '../common/errors';
import { addQuarters, compareQuarters, formatQuarter } from '../common/fiscal';
import { displayPounds, formatPounds } from '../common/money';
import { updateVersioned } from '../database/versioned';
import { Allocation } from '../funding/allocation.entity';
import { PeriodsService } from '../periods/periods.service';
import { codeMaps } from '../programmes/programme-lookup';
import { Programme } from '../programmes/programme.entity';
import { planFollow, planReplace } from './baseline-plan';
import { outturnOf } from './outturn';
import { toInt } from '../database/sql-values';
import { SpendAdjustment, SpendProfileLine } from './spend.entities';

/** One quarter whose baseline (or forecast) an approval changed, for the change's before/after. */
export interface BaselineMoved {
  project: string;
  sourceKind: string;
  quarter: string;
  baselineBefore: string;
  baselineAfter: string;
}

/**
 * The baseline spend profile's only writer after a deal is loaded: called by approved change
 * requests inside the approval transaction (never by a user route). It keeps baseline =
 * approved allocation per project and source (DESIGN, Clarifications 2026-12).
 */
@Injectable()
export class BaselineService {
  constructor(
    private readonly audit: AuditService,
    private readonly periods: PeriodsService,
  ) {}

  /** Approved, not withdrawn, project-level money of one project × source kind. */
  async allocationPence(m: EntityManager, programmeId: number, projectId: number, sourceKind: string) {
    const r = await m
      .createQueryBuilder(Allocation, 'a')
      .select('COALESCE(SUM(a.amount_pence), 0)', 'total')
      .where(
        `a.programme_id = :p AND a.project_id = :j AND a.source_kind = :k AND a.approval_state = 'approved' AND a.commitment_status <> 'withdrawn'`,
        { p: programmeId, j: projectId, k: sourceKind },
      )
      .getRawOne<{ total: unknown }>();
    return toInt(r?.total);
  }

  /** What the line has spent as at the reporting quarter (spend/outturn.ts: spend to date). */
  async spentPence(m: EntityManager, prog: Programme, projectId: number, sourceKind: string) {
    const current = formatQuarter(await this.periods.currentQuarter(m, prog));
    const rows = await this.rows(m, projectId, sourceKind);
    const adjustments = await m.find(SpendAdjustment, { where: { projectId, sourceKind } });
    return outturnOf(current, [current, current], rows, adjustments).spendToDate;
  }

  rows(m: EntityManager, projectId: number, sourceKind: string) {
    return m.find(SpendProfileLine, { where: { projectId, sourceKind }, order: { quarter: 'ASC' } });
  }

  /** Open = not submitted; where new money lands when no open quarter holds baseline yet. */
  private async clock(m: EntityManager, prog: Programme) {
    const submitted = await this.periods.submittedQuarters(m, prog.id);
    const current = await this.periods.currentQuarter(m, prog);
    const next = addQuarters(current, 1);
    const fallback = formatQuarter(compareQuarters(next, this.periods.lastQuarter(prog)) <= 0 ? next : current);
    return { isOpen: (q: string) => !submitted.has(q), current: formatQuarter(current), fallback };
  }

  /**
   * Moves the line's baseline to its approved allocation (after an approval changed that).
   * A line with no baseline yet is left alone: setting a first profile is set_baseline's business.
   */
  async follow(
    m: EntityManager,
    actor: Actor,
    prog: Programme,
    projectId: number,
    sourceKind: string,
    meta: Record<string, unknown>,
  ): Promise<BaselineMoved[]> {
    const rows = await this.rows(m, projectId, sourceKind);
    if (!rows.some((r) => r.baselinePence !== 0)) return [];
    const target = await this.allocationPence(m, prog.id, projectId, sourceKind);
    const clock = await this.clock(m, prog);
    const plan = planFollow(rows, target, clock.isOpen, clock.fallback);
    if ('lockedPence' in plan) {
      const code = (await codeMaps(m, prog.id)).project.get(projectId) ?? String(projectId);
      throw new RuleViolationError(
        'BASELINE_LOCKED',
        `${code}'s ${sourceKind} baseline in submitted quarters is ${displayPounds(plan.lockedPence)}, more than its new allocation of ${displayPounds(target)}: submitted quarters cannot be re-profiled, so the allocation cannot go below what they hold (withdraw the project to cut it to what was spent)`,
        'payload',
      );
    }
    return this.write(m, actor, prog, projectId, sourceKind, plan.changes, meta);
  }

  /** A full replacement profile against the line as stored and the quarters still open. */
  private async planReplacement(
    m: EntityManager,
    prog: Programme,
    projectId: number,
    sourceKind: string,
    wanted: Map<string, number>,
  ) {
    const clock = await this.clock(m, prog);
    return planReplace(await this.rows(m, projectId, sourceKind), wanted, clock.isOpen);
  }

  /** Problems with a full replacement profile: its total and the submitted quarters it would change. */
  async replaceProblems(
    m: EntityManager,
    prog: Programme,
    projectId: number,
    sourceKind: string,
    wanted: Map<string, number>,
  ): Promise<{ code: string; problem: string }[]> {
    const target = await this.allocationPence(m, prog.id, projectId, sourceKind);
    const total = [...wanted.values()].reduce((s, v) => s + v, 0);
    const out: { code: string; problem: string }[] = [];
    if (total !== target)
      out.push({
        code: 'BASELINE_NOT_ALLOCATION',
        problem: `the quarters add up to ${formatPounds(total)} but the approved ${sourceKind} allocation is ${formatPounds(target)} (difference ${formatPounds(total - target)}): the baseline equals the allocation`,
      });
    const { locked } = await this.planReplacement(m, prog, projectId, sourceKind, wanted);
    if (locked.length)
      out.push({
        code: 'PERIOD_LOCKED',
        problem: `would change the baseline of submitted quarters (${locked.join(', ')}): give them their current baseline`,
      });
    return out;
  }

  async replace(
    m: EntityManager,
    actor: Actor,
    prog: Programme,
    projectId: number,
    sourceKind: string,
    wanted: Map<string, number>,
    meta: Record<string, unknown>,
  ): Promise<BaselineMoved[]> {
    const { changes } = await this.planReplacement(m, prog, projectId, sourceKind, wanted);
    return this.write(m, actor, prog, projectId, sourceKind, changes, meta);
  }

  /**
   * A withdrawn project's line: its baseline becomes what it spent, quarter by quarter (actuals
   * up to the reporting quarter plus the adjustments correcting each); open quarters' forecasts
   * become their actual or 0, since nothing more will be spent. Returns the spend (pence).
   */
  async toSpend(
    m: EntityManager,
    actor: Actor,
    prog: Programme,
    projectId: number,
    sourceKind: string,
    meta: Record<string, unknown>,
  ): Promise<{ spentPence: number; moved: BaselineMoved[] }> {
    const clock = await this.clock(m, prog);
    const rows = await this.rows(m, projectId, sourceKind);
    const adjustments = await m.find(SpendAdjustment, { where: { projectId, sourceKind } });
    const counted = adjustments.filter((a) => a.recordedInQuarter <= clock.current);
    const spent = outturnOf(clock.current, [clock.current, clock.current], rows, counted).spendToDate;
    const perQuarter = new Map<string, number>();
    for (const r of rows) if (r.quarter <= clock.current && r.actualPence) perQuarter.set(r.quarter, r.actualPence);
    for (const a of counted)
      perQuarter.set(a.correctsQuarter, (perQuarter.get(a.correctsQuarter) ?? 0) + a.amountPence);
    const changes = new Map<string, number>();
    for (const q of new Set([...rows.map((r) => r.quarter), ...perQuarter.keys()])) {
      const next = Math.max(0, perQuarter.get(q) ?? 0);
      if ((rows.find((r) => r.quarter === q)?.baselinePence ?? 0) !== next) changes.set(q, next);
    }
    // Negative corrections beyond a quarter's actual (clamped above) are carried by the rest.
    const sum = [...new Set([...rows.map((r) => r.quarter), ...changes.keys()])].reduce(
      (s, q) => s + (changes.has(q) ? changes.get(q)! : (rows.find((r) => r.quarter === q)?.baselinePence ?? 0)),
      0,
    );
    if (sum !== spent) {
      const q =
        [...perQuarter.keys()]
          .filter((k) => (perQuarter.get(k) ?? 0) > 0)
          .sort()
          .pop() ?? clock.current;
      const base = changes.get(q) ?? rows.find((r) => r.quarter === q)?.baselinePence ?? 0;
      changes.set(q, base + spent - sum);
    }
    const moved = await this.write(m, actor, prog, projectId, sourceKind, changes, meta);
    const now = new Date().toISOString();
    for (const r of await this.rows(m, projectId, sourceKind)) {
      if (r.quarter < clock.current) continue;
      const forecast = r.actualPence ?? 0;
      if (r.forecastPence !== forecast)
        await updateVersioned(m, SpendProfileLine, 'spend line', r.id, r.version, {
          forecastPence: forecast,
          updatedAt: now,
        });
    }
    return { spentPence: spent, moved };
  }

  /** Writes the changed quarters (new rows get forecast = baseline), one audit entry each. */
  private async write(
    m: EntityManager,
    actor: Actor,
    prog: Programme,
    projectId: number,
    sourceKind: string,
    changes: Map<string, number>,
    meta: Record<string, unknown>,
  ): Promise<BaselineMoved[]> {
    const project = (await codeMaps(m, prog.id)).project.get(projectId) ?? String(projectId);
    const out: BaselineMoved[] = [];
    for (const [quarter, baselinePence] of [...changes].sort((a, b) => a[0].localeCompare(b[0]))) {
      if (baselinePence < 0) throw new RuleViolationError('NEGATIVE_SPEND', 'a baseline cannot be negative', 'payload');
      const before = await m.findOne(SpendProfileLine, { where: { projectId, sourceKind, quarter } });
      const now = new Date().toISOString();
      let after: SpendProfileLine;
      if (before) {
        after = await updateVersioned(m, SpendProfileLine, 'spend line', before.id, before.version, {
          baselinePence,
          updatedAt: now,
        });
      } else {
        const r = await m.insert(SpendProfileLine, {
          programmeId: prog.id,
          projectId,
          sourceKind,
          quarter,
          baselinePence,
          forecastPence: baselinePence,
          actualPence: null,
          illustrative: false,
          updatedAt: now,
        });
        after = await m.findOneByOrFail(SpendProfileLine, { id: r.identifiers[0].id as number });
      }
      const moved = {
        project,
        sourceKind,
        quarter,
        baselineBefore: formatPounds(before?.baselinePence ?? 0),
        baselineAfter: formatPounds(baselinePence),
      };
      await this.audit.record(m, actor, {
        programmeId: prog.id,
        projectId,
        entity: 'spend_profile',
        entityId: after.id,
        action: 'rebaseline',
        before: before
          ? { ...moved, baseline: moved.baselineBefore, forecast: formatPounds(before.forecastPence) }
          : null,
        after: { ...moved, baseline: moved.baselineAfter, forecast: formatPounds(after.forecastPence) },
        meta,
      });
      out.push(moved);
    }
    return out;
  }
}
