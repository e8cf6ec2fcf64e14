import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Db } from '../../database/db.service';
import { toInt } from '../../database/sql-values';
import { snapshotTextSql } from '../../periods/return-snapshot';
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
  cover: Record<string, unknown> | null;
  summary: Record<string, unknown> | null;
}

/**
 * The snapshot's cover and first section as one JSON array, taken out by the database from the
 * version's pieces joined once (SQLite's json_extract with two paths, PostgreSQL's json).
 */
function coverAndSummarySql(type: string): string {
  const text = snapshotTextSql(type, 'r.id');
  if (type === 'postgres')
    return `(SELECT json_build_array(x.j -> 'cover', x.j -> 'sections' -> 0)::text FROM (SELECT ${text}::json AS j) x)`;
  return `json_extract(${text}, '$.cover', '$.sections[0]')`;
}

async function latestVersions(m: EntityManager, type: string, programmeId: number): Promise<VersionRow[]> {
  const rows: Record<string, unknown>[] = await m
    .createQueryBuilder()
    .from('return_version', 'r')
    .select('r.quarter', 'quarter')
    .addSelect('r.version', 'version')
    .addSelect('r.submitted_at', 'submitted_at')
    .addSelect('r.submitted_on', 'submitted_on')
    .addSelect(coverAndSummarySql(type), 'parts')
    .where('r.programme_id = :programmeId', { programmeId })
    .andWhere(
      'r.version = (SELECT MAX(v.version) FROM return_version v WHERE v.programme_id = r.programme_id AND v.quarter = r.quarter)',
    )
    .orderBy('r.quarter', 'DESC')
    .getRawMany();
  return rows.map((r) => {
    const [cover, summary] = (parse(r.parts === null || r.parts === undefined ? null : String(r.parts)) ?? [
      null,
      null,
    ]) as unknown[];
    return {
      quarter: String(r.quarter),
      version: toInt(r.version),
      submittedAt: String(r.submitted_at),
      submittedOn: r.submitted_on === null || r.submitted_on === undefined ? null : String(r.submitted_on),
      cover: (cover ?? null) as Record<string, unknown> | null,
      summary: (summary ?? null) as Record<string, unknown> | null,
    };
  });
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

function parse(text: string | null): unknown {
  try {
    return text === null ? null : (JSON.parse(text) as unknown);
  } catch {
    return null;
  }
}

function capitalTotals(frozen: Record<string, unknown> | null): SummaryTotals | null {
  const summary = frozen as { key?: string; totals?: { values: Record<string, string> }[] } | null;
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

function checkCounts(cover: Record<string, unknown> | null): { warning: number; note: number } {
  const counts = (cover?.checkCounts ?? {}) as Record<string, number>;
  return { warning: counts.warning ?? 0, note: counts.note ?? 0 };
}
