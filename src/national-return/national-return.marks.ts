import type { EntityManager } from 'typeorm';
import { agreedLines, type AgreedLineView } from '../changes/agreed.queries';
import { toInt } from '../database/sql-values';
import type { DbKind } from './national-return.queries';

/** One real programme touched by illustrative data: its agreed-vs-now lines and its illustrative adjustments. */
export interface ProgrammeMarks {
  /** "project|sourceKind" → the project-level agreed-vs-now line. */
  lines: Map<string, AgreedLineView>;
  /** "project|sourceKind" of the lines with an illustrative adjustment or repayment recorded by the quarter. */
  adjusted: Set<string>;
}

/** Programme code → its marks; only programmes that illustrative data touched are present. */
export type IllustrativeMarks = Map<string, ProgrammeMarks>;

/**
 * What illustrative data touched in the real (not synthetic) programmes, as the programme
 * return marks it: an approved illustrative change request that moved an allocation, an
 * illustrative allocation, illustrative spend figures or adjustments. One query finds the
 * programmes (none at all for a national dataset of synthetic programmes, whose rows are all
 * marked as such), then five per programme found (the demo touches one): bounded by
 * programmes, never by projects.
 */
export async function illustrativeMarks(m: EntityManager, kind: DbKind, quarter: string): Promise<IllustrativeMarks> {
  const yes = kind === 'postgres' ? 'true' : '1';
  const touched: Record<string, unknown>[] = await m.query(
    `SELECT p.id, p.code FROM programme p
      WHERE NOT p.synthetic AND (
        EXISTS (SELECT 1 FROM change_request c WHERE c.programme_id = p.id AND c.state = 'approved' AND c.illustrative = ${yes})
        OR EXISTS (SELECT 1 FROM allocation a WHERE a.programme_id = p.id AND a.source_illustrative = ${yes})
        OR EXISTS (SELECT 1 FROM spend_profile s WHERE s.programme_id = p.id AND s.illustrative = ${yes})
        OR EXISTS (SELECT 1 FROM spend_adjustment j WHERE j.programme_id = p.id AND j.illustrative = ${yes}))
      ORDER BY p.code`,
  );
  const out: IllustrativeMarks = new Map();
  for (const p of touched) {
    const id = toInt(p.id);
    const lines = new Map(
      (await agreedLines(m, id))
        .filter((l) => l.projectCode !== null)
        .map((l) => [`${l.projectCode}|${l.sourceKind}`, l]),
    );
    const adj: Record<string, unknown>[] = await m.query(
      `SELECT DISTINCT p.code, j.source_kind FROM spend_adjustment j JOIN project p ON p.id = j.project_id
        WHERE j.programme_id = ${id} AND j.illustrative = ${yes} AND j.recorded_in_quarter <= ${kind === 'postgres' ? '$1' : '?'}`,
      [quarter],
    );
    out.set(String(p.code), { lines, adjusted: new Set(adj.map((r) => `${String(r.code)}|${String(r.source_kind)}`)) });
  }
  return out;
}
