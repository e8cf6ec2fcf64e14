import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { IsolationLevel } from 'typeorm/driver/types/IsolationLevel';
import { ConflictError } from '../common/errors';

const settled = () => undefined;

/**
 * The unit of work. TypeORM runs every SQLite query over one connection, so two open
 * transactions would interleave and a read could see another request's uncommitted rows: on
 * SQLite a write transaction runs alone, after every read and write queued before it, and
 * reads queued after it wait for it. Reads between two writes run side by side: they change
 * nothing, and the driver overlaps their trips to its worker thread with the requests' own work
 * (one read at a time left the server idle between a statement's end and the next one's start).
 * PostgreSQL uses its pool freely.
 */
@Injectable()
export class Db {
  /** Settles when the latest queued write has finished (SQLite). */
  private lastWrite: Promise<unknown> = Promise.resolve();
  /** Reads queued since that write and not yet finished: the next write waits for them. */
  private readonly reads = new Set<Promise<unknown>>();

  constructor(readonly ds: DataSource) {}

  get type(): 'sqlite' | 'postgres' {
    return this.ds.options.type === 'postgres' ? 'postgres' : 'sqlite';
  }

  /** A write transaction: all or nothing. */
  write<T>(fn: (m: EntityManager) => Promise<T>, isolation: IsolationLevel = 'READ COMMITTED'): Promise<T> {
    const run =
      this.type === 'sqlite' ? this.exclusive(() => this.ds.transaction(fn)) : this.ds.transaction(isolation, fn);
    return run.catch((e: unknown) => {
      throw constraintError(e) ?? e;
    });
  }

  /** Reads see only committed data. */
  read<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    if (this.type === 'sqlite') return this.shared(() => fn(this.ds.manager));
    return fn(this.ds.manager);
  }

  /** After the latest queued write; beside other reads. */
  private shared<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lastWrite.then(fn);
    const done = run.then(settled, settled);
    this.reads.add(done);
    void done.then(() => this.reads.delete(done));
    return run;
  }

  /** After every read and write queued before it; alone. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const before = Promise.all([this.lastWrite, ...this.reads]);
    this.reads.clear();
    const run = before.then(fn);
    this.lastWrite = run.then(settled, settled);
    return run;
  }
}

/** Constraint failures the checks in services did not catch first become 409s, not 500s. */
export function constraintError(e: unknown): ConflictError | undefined {
  const err = e as { code?: string; driverError?: { code?: string }; message?: string };
  const code = err?.driverError?.code ?? err?.code;
  const msg = String(err?.message ?? '');
  if (code === '23503' || /FOREIGN KEY constraint failed/.test(msg)) {
    return new ConflictError('IN_USE', 'this record is still referenced by other records (remove those first)');
  }
  if (code === '23505' || /UNIQUE constraint failed/.test(msg)) {
    return new ConflictError('DUPLICATE', 'a record with the same code already exists');
  }
  return undefined;
}
