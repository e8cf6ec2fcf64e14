import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { IsolationLevel } from 'typeorm/driver/types/IsolationLevel';
import { ConflictError } from '../common/errors';

/**
 * The unit of work. TypeORM runs every SQLite query over one connection, so two open
 * transactions would interleave and a read could see another request's uncommitted rows:
 * on SQLite all work goes through one FIFO queue. PostgreSQL uses its pool freely.
 */
@Injectable()
export class Db {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(readonly ds: DataSource) {}

  get type(): 'sqlite' | 'postgres' {
    return this.ds.options.type === 'postgres' ? 'postgres' : 'sqlite';
  }

  /** A write transaction: all or nothing. */
  write<T>(fn: (m: EntityManager) => Promise<T>, isolation: IsolationLevel = 'READ COMMITTED'): Promise<T> {
    const run =
      this.type === 'sqlite' ? this.serialised(() => this.ds.transaction(fn)) : this.ds.transaction(isolation, fn);
    return run.catch((e: unknown) => {
      throw constraintError(e) ?? e;
    });
  }

  /** Reads see only committed data. */
  read<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    if (this.type === 'sqlite') return this.serialised(() => fn(this.ds.manager));
    return fn(this.ds.manager);
  }

  private serialised<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn, fn);
    this.tail = run.catch(() => undefined);
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
