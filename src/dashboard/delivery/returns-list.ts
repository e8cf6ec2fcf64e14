import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Db } from '../../database/db.service';
import { toInt } from '../../database/sql-values';
import { findProgramme } from '../../programmes/programme-lookup';

/** The capital totals a submitted return's summary states, as frozen (pounds strings). */
interface SummaryTotals {
  allocation: string;
  spendInQuarter: string;
  spendToDate: string;
  forecastProgramme: string;
  forecastVariance: string;
}

export interface SubmittedReturn {
  quarter: string;
  version: number;
  submittedOn: string;
  /** Null when the frozen summary has no capital total (a return made before the summary had one). */
  capital: SummaryTotals | null;
  checks: { warning: number; note: number };
  /** Spend lines up to this quarter include demonstration figures. */
  illustrative: boolean;
}

/**
 * The public list of submitted returns: the latest version of each quarter with the capital
 * totals its frozen summary states. The figures come from the frozen snapshot itself, never
 * recomputed, so the list says what was submitted. Two queries; the database extracts the two
 * small parts of each snapshot (cover and summary) so whole snapshots never reach Node.
 */
@Injectable()
export class SubmittedReturnsService {
  constructor(private readonly db: Db) {}

  model(code: string) {
    return this.db.read(async (m) => {
      const p = await findProgramme(m, code);
      const rows = await latestVersions(m, this.db.type, p.id);
      const firstIllustrative = await firstIllustrativeQuarter(m, p.id);
      const items: SubmittedReturn[] = rows.map((r) => ({
        quarter: r.quarter,
        version: r.version,
        // Programme time: the date the programme's own calendar gave the submission.
        submittedOn: (r.submittedOn ?? r.submittedAt).slice(0, 10),
        capital: capitalTotals(r.summary),
        checks: checkCounts(r.cover),
        illustrative: p.synthetic || (firstIllustrative !== null && firstIllustrative <= r.quarter),
      }));
      return { programme: { code: p.code, name: p.name }, items };
    });
  }
}

interface VersionRow {
  quarter: string;
  version: number;
  submittedAt: string;
  submittedOn: string | null;
  cover: string | null;
  summary: string | null;
}

/** A JSON part of the snapshot as text, extracted by the database (SQLite's json_extract, PostgreSQL's ->). */
function snapshotPart(type: string, path: (string | number)[]): string {
  if (type === 'postgres')
    return `((r.snapshot::json)${path.map((k) => (typeof k === 'number' ? `->${k}` : `->'${k}'`)).join('')})::text`;
  return `json_extract(r.snapshot, '$${path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('')}')`;
}

async function latestVersions(m: EntityManager, type: string, programmeId: number): Promise<VersionRow[]> {
  const rows: Record<string, unknown>[] = await m
    .createQueryBuilder()
    .from('return_version', 'r')
    .select('r.quarter', 'quarter')
    .addSelect('r.version', 'version')
    .addSelect('r.submitted_at', 'submitted_at')
    .addSelect('r.submitted_on', 'submitted_on')
    .addSelect(snapshotPart(type, ['cover']), 'cover')
    .addSelect(snapshotPart(type, ['sections', 0]), 'summary')
    .where('r.programme_id = :programmeId', { programmeId })
    .andWhere(
      'r.version = (SELECT MAX(v.version) FROM return_version v WHERE v.programme_id = r.programme_id AND v.quarter = r.quarter)',
    )
    .orderBy('r.quarter', 'DESC')
    .getRawMany();
  return rows.map((r) => ({
    quarter: String(r.quarter),
    version: toInt(r.version),
    submittedAt: String(r.submitted_at),
    submittedOn: r.submitted_on === null || r.submitted_on === undefined ? null : String(r.submitted_on),
    cover: r.cover === null ? null : String(r.cover),
    summary: r.summary === null ? null : String(r.summary),
  }));
}

async function firstIllustrativeQuarter(m: EntityManager, programmeId: number): Promise<string | null> {
  const row = await m
    .createQueryBuilder()
    .from('spend_profile', 's')
    .select('MIN(s.quarter)', 'quarter')
    .where('s.programme_id = :programmeId AND s.illustrative = :yes', { programmeId, yes: true })
    .getRawOne<{ quarter: string | null }>();
  return row?.quarter ?? null;
}

function parse(text: string | null): Record<string, unknown> | null {
  try {
    return text === null ? null : (JSON.parse(text) as Record<string, unknown>);
  } catch {
    return null;
  }
}

function capitalTotals(summaryText: string | null): SummaryTotals | null {
  const summary = parse(summaryText) as { key?: string; totals?: { values: Record<string, string> }[] } | null;
  if (summary?.key !== 'summary') return null;
  const capital = summary.totals?.find((t) => (t as { where?: { equals?: string } }).where?.equals === 'capital');
  if (!capital) return null;
  const v = capital.values;
  return {
    allocation: v.allocation,
    spendInQuarter: v.spendInQuarter,
    spendToDate: v.spendToDate,
    forecastProgramme: v.forecastProgramme,
    forecastVariance: v.forecastVariance,
  };
}

function checkCounts(coverText: string | null): { warning: number; note: number } {
  const counts = (parse(coverText)?.checkCounts ?? {}) as Record<string, number>;
  return { warning: counts.warning ?? 0, note: counts.note ?? 0 };
}
