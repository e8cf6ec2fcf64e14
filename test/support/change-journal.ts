import { DataSource } from 'typeorm';

/**
 * Counts every committed row change, per table, with triggers this test support installs on the
 * test database: "a refused request writes nothing" becomes one small query after each request
 * instead of reading every table back. Stricter than comparing contents, too: a write that is
 * undone within the same request still counts. Rolled-back changes do not (the count rolls back).
 */
export interface ChangeJournal {
  /** Per-table change counts, as one comparable string. */
  snapshot(): Promise<string>;
  /** Tables whose count differs between two snapshots. */
  changed(before: string, after: string): string[];
}

export async function installChangeJournal(ds: DataSource, ignore: string[] = []): Promise<ChangeJournal> {
  const tables = ds.entityMetadatas.map((m) => m.tableName).filter((t) => !ignore.includes(t));
  const q = (n: string) => ds.driver.escape(n);
  await ds.query(`CREATE TABLE test_change_journal (tbl VARCHAR(100) PRIMARY KEY, n INTEGER NOT NULL)`);
  for (const t of tables) await ds.query(`INSERT INTO test_change_journal (tbl, n) VALUES ('${t}', 0)`);
  if (ds.options.type === 'postgres') {
    await ds.query(`CREATE FUNCTION test_change_journal_count() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN UPDATE test_change_journal SET n = n + 1 WHERE tbl = TG_TABLE_NAME; RETURN NULL; END $$`);
    for (const t of tables)
      await ds.query(
        `CREATE TRIGGER test_change_journal AFTER INSERT OR UPDATE OR DELETE ON ${q(t)} FOR EACH ROW EXECUTE FUNCTION test_change_journal_count()`,
      );
  } else {
    for (const t of tables)
      for (const op of ['INSERT', 'UPDATE', 'DELETE'])
        await ds.query(
          `CREATE TRIGGER ${q(`test_change_journal_${t}_${op}`)} AFTER ${op} ON ${q(t)} FOR EACH ROW BEGIN UPDATE test_change_journal SET n = n + 1 WHERE tbl = '${t}'; END`,
        );
  }
  return {
    async snapshot() {
      const rows: { tbl: string; n: number | string }[] = await ds.query(
        `SELECT tbl, n FROM test_change_journal ORDER BY tbl`,
      );
      return rows.map((r) => `${r.tbl}=${r.n}`).join(',');
    },
    changed(before, after) {
      const a = new Map(after.split(',').map((x) => x.split('=') as [string, string]));
      return before
        .split(',')
        .map((x) => x.split('=') as [string, string])
        .filter(([t, n]) => a.get(t) !== n)
        .map(([t]) => t);
    },
  };
}
