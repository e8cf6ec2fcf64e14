import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { NotFoundError, StaleVersionError } from '../common/errors';

/**
 * Optimistic locking: UPDATE ... SET ..., version = version + 1 WHERE id = ? AND version = ?,
 * with the affected row count checked. A stale version gets 409 with the current version.
 */
export async function updateVersioned<T extends ObjectLiteral & { id: number; version: number }>(
  m: EntityManager,
  target: EntityTarget<T>,
  what: string,
  id: number,
  expectedVersion: number,
  changes: Partial<T>,
): Promise<T> {
  const res = await m
    .createQueryBuilder()
    .update(target)
    .set({ ...(changes as object), version: () => 'version + 1' } as never)
    .where('id = :id AND version = :v', { id, v: expectedVersion })
    .execute();
  const current = await m.findOne(target, { where: { id } as never });
  if (!current) throw new NotFoundError(what, id);
  if (!res.affected) throw new StaleVersionError(what, id, expectedVersion, (current as T).version);
  return current as T;
}

/**
 * One row per key, written with optimistic locking: the existing row is updated through
 * updateVersioned (409 on a stale version); with no row yet, `insert` is written and read back.
 */
export async function upsertVersioned<T extends ObjectLiteral & { id: number; version: number }>(
  m: EntityManager,
  target: EntityTarget<T>,
  what: string,
  existing: { id: number; version: number } | null,
  expectedVersion: number | undefined,
  changes: Partial<T>,
  insert: Partial<T>,
): Promise<T> {
  if (existing) return updateVersioned(m, target, what, existing.id, expectedVersion ?? existing.version, changes);
  const r = await m.insert(target, insert as never);
  return m.findOneOrFail(target, { where: { id: r.identifiers[0].id as number } as never });
}

/**
 * Deletes only when the version matches, so a delete never discards someone's newer edit:
 * DELETE ... WHERE id = ? AND version = ?, with the affected row count checked. Comparing the
 * version read earlier is not enough on PostgreSQL: a concurrent update can commit between that
 * read and the delete, and a delete by id alone would then remove the acknowledged edit. Without
 * a version (the caller did not send one) the row is deleted as it is.
 */
export async function deleteVersioned<T extends ObjectLiteral & { id: number; version: number }>(
  m: EntityManager,
  target: EntityTarget<T>,
  what: string,
  id: number,
  expectedVersion: number | undefined,
): Promise<T> {
  const current = await m.findOne(target, { where: { id } as never });
  if (!current) throw new NotFoundError(what, id);
  if (expectedVersion !== undefined && (current as T).version !== expectedVersion) {
    throw new StaleVersionError(what, id, expectedVersion, (current as T).version);
  }
  const version = expectedVersion ?? (current as T).version;
  const res = await m
    .createQueryBuilder()
    .delete()
    .from(target)
    .where('id = :id AND version = :v', { id, v: version })
    .execute();
  if (!res.affected) {
    const now = await m.findOne(target, { where: { id } as never });
    if (!now) throw new NotFoundError(what, id);
    throw new StaleVersionError(what, id, version, (now as T).version);
  }
  return current as T;
}
