import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { ReturnVersion } from '../periods/return-version.entity';

/** A frozen return to store: the entity's fields but the snapshot, which comes in pieces. */
export type FrozenVersion = Omit<ReturnVersion, 'id' | 'snapshot'>;

/** Where the snapshot's pieces wait, inside the transaction, until the row is written from them. */
const PARTS = 'return_snapshot_part';

/**
 * Inserts a submitted return inside the caller's transaction, its snapshot sent to the database
 * in pieces (UTF-8 bytes) and joined there, in order, into the text column: the process never
 * holds the whole snapshot, and no driver copies 10 MB at once (node-sqlite3 copies a bound
 * value twice, and pg builds a message of it twice over). The pieces wait in a temporary table
 * of the connection, emptied before and after. Returns the SHA-256 of the bytes stored, for the
 * caller to check against the content hash.
 */
export async function storeReturnVersion(
  m: EntityManager,
  v: FrozenVersion,
  pieces: Iterable<Buffer>,
): Promise<string> {
  const pg = m.connection.options.type === 'postgres';
  await m.query(
    pg
      ? `CREATE TEMP TABLE IF NOT EXISTS ${PARTS} (n integer PRIMARY KEY, bytes bytea NOT NULL) ON COMMIT DELETE ROWS`
      : `CREATE TEMP TABLE IF NOT EXISTS ${PARTS} (n INTEGER PRIMARY KEY, bytes BLOB NOT NULL)`,
  );
  await m.query(`DELETE FROM ${PARTS}`);
  const hash = createHash('sha256');
  let n = 0;
  for (const piece of pieces) {
    hash.update(piece);
    await m.query(`INSERT INTO ${PARTS} (n, bytes) VALUES (${pg ? '$1, $2' : '?, ?'})`, [n++, piece]);
  }
  // The pieces joined as bytes, then read as UTF-8 text (a piece may end inside a character).
  const joined = pg
    ? `(SELECT convert_from(COALESCE(string_agg(bytes, ''::bytea ORDER BY n), ''::bytea), 'UTF8') FROM ${PARTS})`
    : `(SELECT CAST(COALESCE(group_concat(bytes, '' ORDER BY n), '') AS TEXT) FROM ${PARTS})`;
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
  const params = values.map((_, i) => (pg ? `$${i + 1}` : '?'));
  await m.query(
    `INSERT INTO return_version (programme_id, quarter, version, status, snapshot_sha256, xlsx_base64, xlsx_sha256,
       reason, comments, submitted_by, submitted_at, submitted_on, snapshot)
     VALUES (${params.join(', ')}, ${joined})`,
    values,
  );
  await m.query(`DELETE FROM ${PARTS}`);
  return hash.digest('hex');
}

/**
 * A stored version's summary "Total, all sources" (the first of the summary's totals not limited
 * to a `where`), as parsing its snapshot would give it, taken out by the database (SQLite's
 * json_each, PostgreSQL's json: both keep each value's text as stored): the 10 MB snapshot is
 * neither sent to the process nor parsed there.
 */
export async function storedSummaryTotals(m: EntityManager, id: number): Promise<Record<string, unknown> | null> {
  const rows = (await m.query(
    m.connection.options.type === 'postgres'
      ? `SELECT (s.value -> 'totals')::text AS totals FROM return_version r,
           json_array_elements(r.snapshot::json -> 'sections') WITH ORDINALITY AS s(value, n)
         WHERE r.id = $1 AND s.value ->> 'key' = 'summary' ORDER BY s.n LIMIT 1`
      : `SELECT json_extract(s.value, '$.totals') AS totals FROM return_version r, json_each(r.snapshot, '$.sections') s
         WHERE r.id = ? AND json_extract(s.value, '$.key') = 'summary' ORDER BY s.key LIMIT 1`,
    [id],
  )) as { totals: string | null }[];
  const json = rows[0]?.totals;
  if (!json) return null;
  const totals = JSON.parse(json) as { values: Record<string, unknown> }[] | null;
  return totals?.find((t) => !('where' in t))?.values ?? null;
}
