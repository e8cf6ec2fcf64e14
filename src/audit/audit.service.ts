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
  /**
   * Every project a bulk write touched (an import, a deal load, an approval across projects):
   * linked to the one entry, so each project's trail lists it.
   */
  projectIds?: Iterable<number>;
}

/**
 * Where the audit of one row's write goes: its own entry (`true`), or into `rows` (a caller's
 * collector) when a bulk write that applies many rows (a partner update, an accepted quarterly
 * update) records them as one entry, each row's before and after as its own write would keep them.
 */
export type AuditTo = true | { rows: AuditRecord[] };

/** The before and after of a bulk write's one entry: each collected row's, in order. */
export function collectedRows(rows: AuditRecord[]) {
  const head = (r: AuditRecord) => ({
    entity: r.entity,
    entityId: r.entityId === undefined || r.entityId === null ? null : String(r.entityId),
    action: r.action,
  });
  return {
    before: rows.map((r) => ({ ...head(r), values: r.before ?? null })),
    after: rows.map((r) => ({ ...head(r), values: r.after ?? null })),
  };
}

/** Rows per insert statement for the entry-to-project links (well under either database's limit). */
const LINK_BATCH = 500;

/** Entries of one project: its own, and bulk writes linked to it. */
const ABOUT_PROJECT =
  '(a.project_id = :j OR EXISTS (SELECT 1 FROM audit_entry_project l WHERE l.project_id = :j AND l.audit_entry_id = a.id))';

@Injectable()
export class AuditService {
  constructor(private readonly db: Db) {}

  /** Call inside the write's transaction so the entry and the change commit together. */
  async record(m: EntityManager, actor: Actor, r: AuditRecord): Promise<void> {
    const res = await m.getRepository(AuditEntry).insert({
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
    const linked = [...new Set(r.projectIds ?? [])].filter((id) => id !== r.projectId).sort((a, b) => a - b);
    if (!linked.length) return;
    const entryId = res.identifiers[0].id as number;
    for (let i = 0; i < linked.length; i += LINK_BATCH)
      await m
        .createQueryBuilder()
        .insert()
        .into('audit_entry_project')
        .values(
          linked.slice(i, i + LINK_BATCH).map((projectId) => ({ audit_entry_id: entryId, project_id: projectId })),
        )
        .execute();
  }

  /** A row write's audit: its own entry, or collected into its bulk write's (see `AuditTo`). */
  async recordTo(m: EntityManager, actor: Actor, to: AuditTo, r: AuditRecord): Promise<void> {
    if (to === true) await this.record(m, actor, r);
    else to.rows.push(r);
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
      if (filter.projectId !== undefined) qb.andWhere(ABOUT_PROJECT, { j: filter.projectId });
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
      if (filter.projectId !== undefined) qb.andWhere(ABOUT_PROJECT, { j: filter.projectId });
      const [items, total] = await qb
        .limit(filter.limit ?? 100)
        .offset(filter.offset ?? 0)
        .getManyAndCount();
      return { items, total };
    });
  }
}
