import { EntityManager } from 'typeorm';

/**
 * What a check-then-write must hold so that no concurrent transaction can change what it checked
 * before it commits. Each name is one invariant:
 * - `periods`: which quarters are submitted (locked). A write that depends on it (an actual, a
 *   forecast, an output claim, a prior-period adjustment) holds it shared; submitting a return
 *   holds it exclusively, so no write lands in a quarter while its return is assembled and frozen.
 * - `spend-line`: one project × source kind's spend (its prior-period adjustments are checked
 *   against the running total, which must never go negative).
 */
export type SerialisedOn = 'periods' | 'spend-line';

/**
 * Holds `what` for `id` until the current transaction ends (commit, rollback or a dead client).
 *
 * PostgreSQL: a transaction-scoped advisory lock (`pg_advisory_xact_lock[_shared]`) keyed by
 * the name and the id; it touches no row, so it never blocks ordinary updates of the rows
 * involved, and the server releases it with the transaction. SQLite: nothing to do, because
 * every write transaction already runs alone (`Db` queues them and SQLite has one writer).
 *
 * Call it inside `db.write`, before the reads the check depends on.
 */
export async function serialiseOn(
  m: EntityManager,
  what: SerialisedOn,
  id: number | string,
  mode: 'exclusive' | 'shared' = 'exclusive',
): Promise<void> {
  if (m.connection.options.type !== 'postgres') return;
  const fn = mode === 'shared' ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock';
  // Two int4 keys: the invariant's name and the record (hashed when it is not a small integer).
  await m.query(`SELECT ${fn}(hashtext(current_schema() || ':' || $1), hashtext($2))`, [what, String(id)]);
}
