import type { EntityManager } from 'typeorm';

/**
 * Reading a submitted return's frozen JSON, which is stored in pieces (return_snapshot_piece):
 * the exact text is the pieces joined in order, in the process or by the database.
 */

const PIECES = 'return_snapshot_piece';

/** Each version's snapshot text, by version id (a version with no pieces is absent). */
export async function readSnapshots(m: EntityManager, versionIds: number[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  if (!versionIds.length) return out;
  const rows: { versionId: unknown; text: string }[] = await m
    .createQueryBuilder()
    .from(PIECES, 'p')
    .select('p.version_id', 'versionId')
    .addSelect('p.text', 'text')
    .where('p.version_id IN (:...ids)', { ids: versionIds })
    .orderBy('p.version_id')
    .addOrderBy('p.n')
    .getRawMany();
  const parts = new Map<number, string[]>();
  for (const r of rows) {
    const id = Number(r.versionId);
    const list = parts.get(id) ?? [];
    list.push(r.text);
    parts.set(id, list);
  }
  for (const [id, list] of parts) out.set(id, list.join(''));
  return out;
}

/** One version's snapshot text; '' when it has none (never the case for a stored version). */
export async function readSnapshot(m: EntityManager, versionId: number): Promise<string> {
  return (await readSnapshots(m, [versionId])).get(versionId) ?? '';
}

/**
 * SQL for a version's snapshot text joined by the database, for statements that take a part of
 * it out there (SQLite's json_extract, PostgreSQL's json operators) rather than read it whole.
 */
export function snapshotTextSql(type: string, versionIdSql: string): string {
  return type === 'postgres'
    ? `(SELECT string_agg(p.text, '' ORDER BY p.n) FROM ${PIECES} p WHERE p.version_id = ${versionIdSql})`
    : `(SELECT group_concat(p.text, '' ORDER BY p.n) FROM ${PIECES} p WHERE p.version_id = ${versionIdSql})`;
}
