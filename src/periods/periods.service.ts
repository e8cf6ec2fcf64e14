import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { LockedError, RuleViolationError, ValidationError } from '../common/errors';
import {
  addQuarters,
  compareQuarters,
  formatQuarter,
  FiscalQuarter,
  parseQuarter,
  quarterOfDate,
} from '../common/fiscal';
import { serialiseOn } from '../database/serialise';
import { toInt } from '../database/sql-values';
import { Programme } from '../programmes/programme.entity';
import { lastMonitoringQuarter, monitoringEnd, outputQuarterPlace } from './monitoring';
import {
  asOfDate,
  DEFAULT_RETURN_DUE_MONTHS,
  decisionQuarter,
  overdueReturns,
  returnSchedule,
  wallClockDate,
  type ScheduledReturn,
} from './programme-clock';

/** Every quarter's return against the programme's as-of date (programme time). */
/** What the reporting quarter depends on besides the submitted quarters: where the programme starts and ends. */
export type ProgrammeSpan = Pick<Programme, 'firstQuarter' | 'endsOn'>;

export interface ReturnScheduleView {
  asOfDate: string;
  /** True when the as-of date is the wall-clock date (the programme sets none of its own). */
  asOfIsDefault: boolean;
  returnDueMonths: number;
  /** Overdue quarters, oldest first. */
  overdue: string[];
  schedule: ScheduledReturn[];
}
import { ReturnVersion } from './return-version.entity';

/**
 * The programme's own clock. Its reporting quarter is the earliest quarter whose return has
 * not been submitted; "past" and "future" are relative to it, never to the wall clock.
 */
@Injectable()
export class PeriodsService {
  /**
   * Call first in a write that depends on which quarters are submitted (actuals, forecasts,
   * claims, adjustments): held shared, so such writes run side by side; submitting a return
   * holds it exclusively (`mode` 'exclusive'), so nothing lands in a quarter while it is frozen.
   */
  hold(m: EntityManager, programmeId: number, mode: 'shared' | 'exclusive' = 'shared'): Promise<void> {
    return serialiseOn(m, 'periods', programmeId, mode);
  }

  async submittedQuarters(m: EntityManager, programmeId: number): Promise<Set<string>> {
    const rows: { quarter: string }[] = await m
      .getRepository(ReturnVersion)
      .createQueryBuilder('r')
      .select('DISTINCT r.quarter', 'quarter')
      .where('r.programme_id = :p', { p: programmeId })
      .getRawMany();
    return new Set(rows.map((r) => r.quarter));
  }

  /**
   * The programme date of each quarter's first submission (a correction does not change when it
   * was first sent), by programme id then quarter: one query for any number of programmes.
   */
  async firstSubmissions(m: EntityManager, programmeIds: number[]): Promise<Map<number, Map<string, string>>> {
    const out = new Map<number, Map<string, string>>(programmeIds.map((id) => [id, new Map()]));
    if (!programmeIds.length) return out;
    const rows: Record<string, unknown>[] = await m
      .getRepository(ReturnVersion)
      .createQueryBuilder('r')
      .select([
        'r.programme_id AS programme_id',
        'r.quarter AS quarter',
        'r.submitted_on AS submitted_on',
        'r.submitted_at AS submitted_at',
      ])
      .where('r.programme_id IN (:...ids) AND r.version = 1', { ids: programmeIds })
      .getRawMany();
    for (const r of rows)
      out.get(Number(r.programme_id))?.set(String(r.quarter), String(r.submitted_on ?? r.submitted_at).slice(0, 10));
    return out;
  }

  /** Each quarter's return due, submitted or overdue against the programme's as-of date (`today`: the wall clock's). */
  async schedule(m: EntityManager, p: Programme, today = wallClockDate()): Promise<ReturnScheduleView> {
    return (await this.schedules(m, [p], today))[0];
  }

  /** `schedule` for several programmes in one query. */
  async schedules(m: EntityManager, ps: Programme[], today = wallClockDate()): Promise<ReturnScheduleView[]> {
    const firsts = await this.firstSubmissions(
      m,
      ps.map((p) => p.id),
    );
    return ps.map((p) => {
      const asOf = asOfDate(p, today);
      const schedule = returnSchedule(p, firsts.get(p.id)!, asOf);
      return {
        asOfDate: asOf,
        asOfIsDefault: p.asOfDate === null,
        returnDueMonths: p.returnDueMonths ?? DEFAULT_RETURN_DUE_MONTHS,
        overdue: overdueReturns(schedule).map((r) => r.quarter),
        schedule,
      };
    });
  }

  firstQuarter(p: ProgrammeSpan): FiscalQuarter {
    return parseQuarter(p.firstQuarter);
  }

  lastQuarter(p: ProgrammeSpan): FiscalQuarter {
    return quarterOfDate(p.endsOn);
  }

  async currentQuarter(m: EntityManager, p: Programme): Promise<FiscalQuarter> {
    return (await this.position(m, p)).quarter;
  }

  /** The reporting quarter and whether the programme is closed (its final quarter submitted), in one query. */
  async position(m: EntityManager, p: Programme): Promise<{ quarter: FiscalQuarter; closed: boolean }> {
    return this.positionOf(p, await this.submittedQuarters(m, p.id));
  }

  /** The reporting quarter and closed flag given the programme's submitted quarters (no query). */
  positionOf(p: ProgrammeSpan, submitted: Set<string>): { quarter: FiscalQuarter; closed: boolean } {
    let q = this.firstQuarter(p);
    const last = this.lastQuarter(p);
    while (submitted.has(formatQuarter(q)) && compareQuarters(q, last) < 0) q = addQuarters(q, 1);
    return { quarter: q, closed: submitted.has(formatQuarter(q)) };
  }

  /** Every programme's submitted quarters, in one query (for lists over all programmes). */
  async submittedByProgramme(m: EntityManager): Promise<Map<number, Set<string>>> {
    const rows: { programmeId: unknown; quarter: string }[] = await m
      .getRepository(ReturnVersion)
      .createQueryBuilder('r')
      .select('r.programme_id', 'programmeId')
      .addSelect('r.quarter', 'quarter')
      .distinct(true)
      .getRawMany();
    const out = new Map<number, Set<string>>();
    for (const r of rows) {
      const id = toInt(r.programmeId, 'programme id');
      if (!out.has(id)) out.set(id, new Set());
      out.get(id)!.add(r.quarter);
    }
    return out;
  }

  /**
   * The programme quarter a decision made now belongs to (its reporting quarter), or, for a
   * replayed decision with its own programme date `at` (the demo), that date's quarter
   * (periods/programme-clock.ts `decisionQuarter`).
   */
  async decisionQuarter(m: EntityManager, p: Programme, at?: string): Promise<string> {
    return formatQuarter(decisionQuarter(await this.currentQuarter(m, p), this.lastQuarter(p), at ?? null));
  }

  /** The quarter must be a real quarter inside the programme. */
  checkInProgramme(p: Programme, quarter: string, field = 'quarter'): FiscalQuarter {
    let q: FiscalQuarter;
    try {
      q = parseQuarter(quarter);
    } catch (e) {
      throw new RuleViolationError('INVALID_QUARTER', (e as Error).message, field);
    }
    if (compareQuarters(q, this.firstQuarter(p)) < 0 || compareQuarters(q, this.lastQuarter(p)) > 0) {
      throw new RuleViolationError(
        'QUARTER_OUTSIDE_PROGRAMME',
        `${formatQuarter(q)} is outside the programme (${p.firstQuarter} to ${formatQuarter(this.lastQuarter(p))})`,
        field,
      );
    }
    return q;
  }

  /**
   * An output actual's quarter: inside the programme, the rules of actuals (below); after the
   * programme's end, accepted up to its monitoring end (no return covers those quarters, so
   * none is locked); after the monitoring end, refused naming it.
   */
  async assertOutputActualEditable(
    m: EntityManager,
    p: Programme,
    quarter: string,
    field = 'quarter',
  ): Promise<FiscalQuarter> {
    const { q, monitoring } = this.outputQuarter(p, quarter, field);
    return monitoring ? q : this.assertActualEditable(m, p, quarter, field);
  }

  /** An outputs quarter: `monitoring` when after the programme's end (up to its monitoring end, else a 400). */
  outputQuarter(p: Programme, quarter: string, field = 'quarter'): { q: FiscalQuarter; monitoring: boolean } {
    let q: FiscalQuarter;
    try {
      q = parseQuarter(quarter);
    } catch (e) {
      throw new RuleViolationError('INVALID_QUARTER', (e as Error).message, field);
    }
    const place = outputQuarterPlace(p, q);
    if (place === 'after_monitoring')
      throw new ValidationError([
        {
          field,
          problem: `${formatQuarter(q)} is after the programme's monitoring end ${monitoringEnd(p)} (${lastMonitoringQuarter(p)}): outputs are recorded up to it`,
        },
      ]);
    return { q, monitoring: place === 'monitoring' };
  }

  async isLocked(m: EntityManager, programmeId: number, quarter: string): Promise<boolean> {
    return (await m.count(ReturnVersion, { where: { programmeId, quarter } })) > 0;
  }

  /**
   * Actuals may be recorded for the reporting quarter and, until their return is submitted,
   * earlier ones; never for the future; never in place for a submitted (locked) quarter.
   */
  async assertActualEditable(
    m: EntityManager,
    p: Programme,
    quarter: string,
    field = 'quarter',
  ): Promise<FiscalQuarter> {
    const q = this.checkInProgramme(p, quarter, field);
    const current = await this.currentQuarter(m, p);
    if (compareQuarters(q, current) > 0) {
      throw new RuleViolationError(
        'FUTURE_QUARTER',
        `${formatQuarter(q)} is after the reporting quarter ${formatQuarter(current)}: actuals cannot be recorded for the future`,
        field,
      );
    }
    if (await this.isLocked(m, p.id, formatQuarter(q))) {
      throw new LockedError(
        `${formatQuarter(q)} is locked: its return has been submitted. Record a prior-period adjustment in ${formatQuarter(current)} instead`,
        field,
      );
    }
    return q;
  }
}
