import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as sqlite3 from 'sqlite3';
import { DataSource } from 'typeorm';
import { leanQuery, MAX_CACHED_STATEMENTS } from './lean-read';

/**
 * The lean read on SQLite keeps one prepared statement per text and connection (a real file in
 * WAL mode, as the app opens it): the same rows as a fresh statement, parameters bound anew each
 * call, nothing left open that would hold up a write or a checkpoint, and closing still works.
 */
describe('leanQuery on SQLite: kept statements', () => {
  let dir: string;
  let path: string;
  let ds: DataSource;

  const open = async () => {
    const d = new DataSource({ type: 'sqlite', database: path, enableWAL: true, busyErrorRetry: 2000 });
    await d.initialize();
    return d;
  };

  /** How many statements leanQuery prepares on `d` while `fn` runs. */
  const preparedDuring = async (d: DataSource, fn: () => Promise<unknown>) => {
    const driver = d.driver as unknown as { sqlite: { Statement: unknown } };
    const original = driver.sqlite;
    const Statement = original.Statement as new (...a: unknown[]) => object;
    let n = 0;
    driver.sqlite = {
      ...original,
      Statement: function (...a: unknown[]) {
        n++;
        return new Statement(...a);
      },
    };
    try {
      await fn();
    } finally {
      driver.sqlite = original;
    }
    return n;
  };

  /** A second, raw connection to the same file (another process's view). */
  const other = async () => {
    const db = await new Promise<sqlite3.Database>((ok, fail) => {
      const d = new sqlite3.Database(path, (e) => (e ? fail(e) : ok(d)));
    });
    const all = <T>(sql: string) =>
      new Promise<T[]>((ok, fail) => db.all(sql, (e: Error | null, rows: T[]) => (e ? fail(e) : ok(rows))));
    const close = () => new Promise<void>((ok, fail) => db.close((e) => (e ? fail(e) : ok())));
    return { db, all, close };
  };

  const SQL = 'SELECT id, name FROM item WHERE id >= ? ORDER BY id';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gdt-lean-'));
    path = join(dir, 'lean.sqlite');
    ds = await open();
    await ds.query('CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL)');
    for (let i = 1; i <= 5; i++) await ds.query('INSERT INTO item (id, name) VALUES (?, ?)', [i, `item ${i}`]);
  });
  afterAll(async () => {
    if (ds?.isInitialized) await ds.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives the rows a fresh statement gives, the parameters bound anew each call, prepared once', async () => {
    const n = await preparedDuring(ds, async () => {
      for (const from of [1, 4, 2, 6, 1]) expect(await leanQuery(ds, SQL, [from])).toEqual(await ds.query(SQL, [from]));
    });
    expect(n).toBe(1);
    // Side by side, the same text with different parameters: each call its own rows.
    const many = await Promise.all([1, 2, 3, 4, 5, 6].map((from) => leanQuery<{ id: number }>(ds, SQL, [from])));
    expect(many.map((rows) => rows.map((r) => r.id))).toEqual([
      [1, 2, 3, 4, 5],
      [2, 3, 4, 5],
      [3, 4, 5],
      [4, 5],
      [5],
      [],
    ]);
    // No parameters: reset before each run all the same.
    expect(await leanQuery(ds, 'SELECT COUNT(*) AS n FROM item')).toEqual([{ n: 5 }]);
    expect(await leanQuery(ds, 'SELECT COUNT(*) AS n FROM item')).toEqual([{ n: 5 }]);
  });

  it('sees writes made since, through TypeORM and in a transaction after it, which commits', async () => {
    expect(await leanQuery(ds, SQL, [5])).toEqual([{ id: 5, name: 'item 5' }]);
    await ds.query('INSERT INTO item (id, name) VALUES (6, ?)', ['item 6']);
    expect(await leanQuery(ds, SQL, [5])).toEqual([
      { id: 5, name: 'item 5' },
      { id: 6, name: 'item 6' },
    ]);
    // A statement still running would make this commit fail ("SQL statements in progress").
    await ds.transaction(async (m) => {
      await m.query('UPDATE item SET name = ? WHERE id = 6', ['six']);
      expect(await leanQuery(ds, SQL, [6])).toEqual([{ id: 6, name: 'six' }]);
    });
    expect(await leanQuery(ds, SQL, [6])).toEqual([{ id: 6, name: 'six' }]);
  });

  it('holds no read open: another connection writes and checkpoints the whole log', async () => {
    const o = await other();
    try {
      await leanQuery(ds, SQL, [1]);
      await leanQuery(ds, SQL, [99]); // no rows
      await o.all("INSERT INTO item (id, name) VALUES (7, 'from elsewhere')");
      expect(await leanQuery(ds, SQL, [7])).toEqual([{ id: 7, name: 'from elsewhere' }]);
      // TRUNCATE waits for no reader and reports busy when one still holds a snapshot.
      expect(await o.all('PRAGMA wal_checkpoint(TRUNCATE)')).toEqual([{ busy: 0, log: 0, checkpointed: 0 }]);

      // The check itself: a statement left part-way through does hold the checkpoint back.
      const conn = (ds.driver as unknown as { databaseConnection: sqlite3.Database }).databaseConnection;
      const partWay = conn.prepare(SQL);
      await new Promise<void>((ok, fail) => partWay.get([1], (e) => (e ? fail(e) : ok())));
      await o.all("INSERT INTO item (id, name) VALUES (8, 'eight')");
      expect((await o.all<{ busy: number }>('PRAGMA wal_checkpoint(TRUNCATE)'))[0].busy).toBe(1);
      await new Promise((ok) => partWay.finalize(ok));
      expect((await o.all<{ busy: number }>('PRAGMA wal_checkpoint(TRUNCATE)'))[0].busy).toBe(0);
    } finally {
      await o.close();
    }
  });

  it('rejects a statement that does not prepare, keeps nothing of it, and goes on', async () => {
    await expect(leanQuery(ds, 'SELECT nope FROM item')).rejects.toThrow(/no such column/);
    await expect(leanQuery(ds, 'SELECT nope FROM item')).rejects.toThrow(/no such column/);
    expect(await leanQuery(ds, SQL, [8])).toEqual([{ id: 8, name: 'eight' }]);
  });

  it('keeps at most its bound of statements, and every text still answers', async () => {
    const texts = Array.from(
      { length: MAX_CACHED_STATEMENTS + 5 },
      (_, i) => `SELECT ${i} AS n, COUNT(*) AS c FROM item`,
    );
    const first = await Promise.all(texts.map((t) => leanQuery<{ n: number }>(ds, t)));
    expect(first.map((rows) => rows[0].n)).toEqual(texts.map((_, i) => i));
    // The first texts were evicted (so prepared again), the last still kept.
    expect(await preparedDuring(ds, () => leanQuery(ds, texts[0]))).toBe(1);
    expect(await preparedDuring(ds, () => leanQuery(ds, texts[texts.length - 1]))).toBe(0);
  });

  it('closes with statements kept (they are finalized first), and a reopened source prepares afresh', async () => {
    await leanQuery(ds, SQL, [1]);
    await ds.destroy();
    ds = await open();
    const n = await preparedDuring(ds, async () => {
      expect((await leanQuery<{ id: number }>(ds, SQL, [7])).map((r) => r.id)).toEqual([7, 8]);
    });
    expect(n).toBe(1);
  });
});
