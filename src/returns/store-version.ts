import type { EntityManager } from 'typeorm';
import type { ReturnVersion } from '../periods/return-version.entity';

/** A frozen return to store: the entity's fields, with the snapshot as its UTF-8 bytes. */
export type FrozenVersion = Omit<ReturnVersion, 'id' | 'snapshot'> & { snapshot: Buffer };

/**
 * Inserts a submitted return inside the caller's transaction. The snapshot goes to the driver
 * as its UTF-8 bytes and the database stores them as text, byte for byte (SQLite casts a blob
 * to text in the database's UTF-8; PostgreSQL decodes it with convert_from): no 20 MB JavaScript
 * string of a 10 MB return, and no second UTF-8 copy made by the driver. The column stays text,
 * read back as the same string as before.
 */
export async function storeReturnVersion(m: EntityManager, v: FrozenVersion): Promise<void> {
  const pg = m.connection.options.type === 'postgres';
  const values: unknown[] = [
    v.programmeId,
    v.quarter,
    v.version,
    v.status,
    v.snapshot,
    v.snapshotSha256,
    v.xlsxBase64,
    v.xlsxSha256,
    v.reason,
    v.comments === null ? null : JSON.stringify(v.comments),
    v.submittedBy,
    v.submittedAt,
    v.submittedOn,
  ];
  const p = (i: number) => (pg ? `$${i}` : '?');
  const params = values.map((_, i) =>
    i === 4 ? (pg ? `convert_from(${p(5)}, 'UTF8')` : 'CAST(? AS TEXT)') : p(i + 1),
  );
  await m.query(
    `INSERT INTO return_version (programme_id, quarter, version, status, snapshot, snapshot_sha256, xlsx_base64,
       xlsx_sha256, reason, comments, submitted_by, submitted_at, submitted_on)
     VALUES (${params.join(', ')})`,
    values,
  );
}
