import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { ReturnVersion } from '../periods/return-version.entity';
import { snapshotTextSql } from '../periods/return-snapshot';

const PIECES = 'return_snapshot_piece';

/** A frozen return to store: the entity's fields; its snapshot comes in pieces. */
export type FrozenVersion = Omit<ReturnVersion, 'id'>;

/**
 * Inserts a submitted return inside the caller's transaction, its snapshot stored as the ordered
 * pieces it comes in (return_snapshot_piece): the process never holds the whole snapshot, and no
 * statement writes it as one value (on SQLite a 10 MB value and its row record are built in
 * memory at once; node-sqlite3 copies a bound value twice, and pg builds a message of it twice
 * over). Returns the new row's id and the SHA-256 of the text stored, for the caller to check
 * against the content hash.
 */
export async function storeReturnVersion(
  m: EntityManager,
  v: FrozenVersion,
  pieces: Iterable<string>,
): Promise<{ id: number; sha256: string }> {
  const pg = m.connection.options.type === 'postgres';
  const values: unknown[] = [
    v.programmeId,
    v.quarter,
    v.version,
    v.status,
    v.snapshotSha256,
    v.xlsxBase64,
    v.xlsxSha256,
    v.reason,
    v.comments === null ? null : JSON.stringify(v.comments),
    v.submittedBy,
    v.submittedAt,
    v.submittedOn,
  ];
  const ph = (i: number) => (pg ? `$${i}` : '?');
  await m.query(
    `INSERT INTO return_version (programme_id, quarter, version, status, snapshot_sha256, xlsx_base64, xlsx_sha256,
       reason, comments, submitted_by, submitted_at, submitted_on)
     VALUES (${values.map((_, i) => ph(i + 1)).join(', ')})`,
    values,
  );
  const row = (await m.query(
    `SELECT id FROM return_version WHERE programme_id = ${ph(1)} AND quarter = ${ph(2)} AND version = ${ph(3)}`,
    [v.programmeId, v.quarter, v.version],
  )) as { id: unknown }[];
  const id = Number(row[0].id);
  const hash = createHash('sha256');
  let n = 0;
  for (const piece of pieces) {
    hash.update(piece, 'utf8');
    await m.query(`INSERT INTO ${PIECES} (version_id, n, text) VALUES (${ph(1)}, ${ph(2)}, ${ph(3)})`, [
      id,
      n++,
      piece,
    ]);
  }
  if (n === 0) await m.query(`INSERT INTO ${PIECES} (version_id, n, text) VALUES (${ph(1)}, 0, '')`, [id]);
  return { id, sha256: hash.digest('hex') };
}

/**
 * A stored version's summary "Total, all sources" (the first of the summary's totals not limited
 * to a `where`), as parsing its snapshot would give it, taken out by the database (SQLite's
 * json_each, PostgreSQL's json: both keep each value's text as stored): the 10 MB snapshot is
 * neither sent to the process nor parsed there.
 */
export async function storedSummaryTotals(m: EntityManager, id: number): Promise<Record<string, unknown> | null> {
  const type = m.connection.options.type;
  const text = snapshotTextSql(type, type === 'postgres' ? '$1' : '?');
  const rows = (await m.query(
    type === 'postgres'
      ? `SELECT (s.value -> 'totals')::text AS totals
         FROM json_array_elements(${text}::json -> 'sections') WITH ORDINALITY AS s(value, n)
         WHERE s.value ->> 'key' = 'summary' ORDER BY s.n LIMIT 1`
      : `SELECT json_extract(s.value, '$.totals') AS totals FROM json_each(${text}, '$.sections') s
         WHERE json_extract(s.value, '$.key') = 'summary' ORDER BY s.key LIMIT 1`,
    [id],
  )) as { totals: string | null }[];
  const json = rows[0]?.totals;
  if (!json) return null;
  const totals = JSON.parse(json) as { values: Record<string, unknown> }[] | null;
  return totals?.find((t) => !('where' in t))?.values ?? null;
}
