import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Db } from '../database/db.service';
import { AuditEntry } from './audit-entry.entity';
import { Actor } from '../auth/actor';

export interface AuditRecord {
  programmeId?: number | null;
  projectId?: number | null;
  entity: string;
  entityId?: string | number | null;
  action: string;
  before?: unknown;
  after?: unknown;
  meta?: Record<string, unknown> | null;
}

@Injectable()
export class AuditService {
  constructor(private readonly db: Db) {}

  /** Call inside the write's transaction so the entry and the change commit together. */
  async record(m: EntityManager, actor: Actor, r: AuditRecord): Promise<void> {
    await m.getRepository(AuditEntry).insert({
      at: new Date().toISOString(),
      actor: actor.name,
      programmeId: r.programmeId ?? null,
      projectId: r.projectId ?? null,
      entity: r.entity,
      entityId: r.entityId === undefined || r.entityId === null ? null : String(r.entityId),
      action: r.action,
      before: (r.before ?? null) as never,
      after: (r.after ?? null) as never,
      meta: (r.meta ?? null) as never,
    });
  }

  /**
   * Entries for people to read, newest first: optionally one project's, and optionally those
   * about one quarter (whose before or after names it: programme time, not the wall clock).
   */
  async search(filter: {
    projectId?: number;
    quarter?: string;
    limit: number;
    offset?: number;
  }): Promise<{ items: AuditEntry[]; total: number }> {
    return this.db.read(async (m) => {
      const qb = m.getRepository(AuditEntry).createQueryBuilder('a').orderBy('a.id', 'DESC');
      if (filter.projectId !== undefined) qb.andWhere('a.project_id = :j', { j: filter.projectId });
      if (filter.quarter !== undefined) {
        const needle = `%"quarter":${JSON.stringify(filter.quarter)}%`;
        qb.andWhere('(a.after LIKE :q OR a.before LIKE :q)', { q: needle });
      }
      const [items, total] = await qb
        .limit(filter.limit)
        .offset(filter.offset ?? 0)
        .getManyAndCount();
      return { items, total };
    });
  }

  async list(filter: {
    programmeId?: number;
    projectId?: number;
    limit?: number;
    offset?: number;
  }): Promise<{ items: AuditEntry[]; total: number }> {
    return this.db.read(async (m) => {
      const qb = m.getRepository(AuditEntry).createQueryBuilder('a').orderBy('a.id', 'DESC');
      if (filter.programmeId !== undefined) qb.andWhere('a.programme_id = :p', { p: filter.programmeId });
      if (filter.projectId !== undefined) qb.andWhere('a.project_id = :j', { j: filter.projectId });
      const [items, total] = await qb
        .limit(filter.limit ?? 100)
        .offset(filter.offset ?? 0)
        .getManyAndCount();
      return { items, total };
    });
  }
}
