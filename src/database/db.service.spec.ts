import type { DataSource, EntityManager } from 'typeorm';
import { Db } from './db.service';

/** A SQLite-typed DataSource whose transaction just runs the work (the queue is what is tested). */
function sqliteDb(): Db {
  const manager = {} as EntityManager;
  const ds = {
    options: { type: 'sqlite' },
    manager,
    transaction: (fn: (m: EntityManager) => Promise<unknown>) => fn(manager),
  } as unknown as DataSource;
  return new Db(ds);
}

/** A piece of work that runs until released, recording when it starts and ends. */
function gate(log: string[], name: string) {
  let release!: () => void;
  const open = new Promise<void>((ok) => (release = ok));
  return {
    release,
    fn: async () => {
      log.push(`${name} start`);
      await open;
      log.push(`${name} end`);
      return name;
    },
  };
}

const ticks = () => new Promise((ok) => setImmediate(ok));

describe('Db on SQLite: reads side by side, writes alone and in order', () => {
  it('runs reads queued together at the same time', async () => {
    const db = sqliteDb();
    const log: string[] = [];
    const a = gate(log, 'read a');
    const b = gate(log, 'read b');
    const ra = db.read(a.fn);
    const rb = db.read(b.fn);
    await ticks();
    expect(log).toEqual(['read a start', 'read b start']);
    b.release();
    a.release();
    expect(await Promise.all([ra, rb])).toEqual(['read a', 'read b']);
    expect(log).toEqual(['read a start', 'read b start', 'read b end', 'read a end']);
  });

  it('starts a write after every earlier read, and a later read after the write', async () => {
    const db = sqliteDb();
    const log: string[] = [];
    const r1 = gate(log, 'read 1');
    const w = gate(log, 'write');
    const r2 = gate(log, 'read 2');
    const p1 = db.read(r1.fn);
    const pw = db.write(w.fn);
    const p2 = db.read(r2.fn);
    await ticks();
    expect(log).toEqual(['read 1 start']);
    r1.release();
    await ticks();
    expect(log).toEqual(['read 1 start', 'read 1 end', 'write start']);
    w.release();
    r2.release();
    await Promise.all([p1, pw, p2]);
    expect(log).toEqual(['read 1 start', 'read 1 end', 'write start', 'write end', 'read 2 start', 'read 2 end']);
  });

  it('runs two writes one after the other', async () => {
    const db = sqliteDb();
    const log: string[] = [];
    const w1 = gate(log, 'write 1');
    const w2 = gate(log, 'write 2');
    const p1 = db.write(w1.fn);
    const p2 = db.write(w2.fn);
    await ticks();
    expect(log).toEqual(['write 1 start']);
    w2.release();
    w1.release();
    await Promise.all([p1, p2]);
    expect(log).toEqual(['write 1 start', 'write 1 end', 'write 2 start', 'write 2 end']);
  });

  it('goes on after a read or a write fails, the failure reaching its own caller only', async () => {
    const db = sqliteDb();
    const failedRead = db.read(() => Promise.reject(new Error('read failed')));
    const failedWrite = db.write(() => Promise.reject(new Error('write failed')));
    const next = db.read(() => Promise.resolve('still reading'));
    await expect(failedRead).rejects.toThrow('read failed');
    await expect(failedWrite).rejects.toThrow('write failed');
    await expect(next).resolves.toBe('still reading');
    await expect(db.write(() => Promise.resolve('still writing'))).resolves.toBe('still writing');
  });
});
