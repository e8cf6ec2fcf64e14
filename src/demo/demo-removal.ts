import { Injectable } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EntityManager } from 'typeorm';
import { Actor, SYSTEM_ACTOR } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { ConflictError } from '../common/errors';
import { seedsDir } from '../common/paths';
import { Db } from '../database/db.service';
import { toInt } from '../database/sql-values';
import { Programme } from '../programmes/programme.entity';
import { DEMO_APPROVER, DEMO_PROPOSER } from './demo-changes';
import { DEMO_FILE, DEMO_SUBMITTER, DemoFile } from './demo.service';

/**
 * The demo programme's rows, children first (foreign keys point up this list). `:p` is the
 * programme's id. Every table with a programme_id column must be here: `remove` checks that none
 * is left behind. The audit trail stays (it is the record; the removal adds its own entry), and
 * so do the seed_run rows, so a start-up with SEED_ON_START does not load the demo again.
 */
const PARTS: [table: string, where: string][] = [
  ['quarterly_update', 'programme_id = :p'],
  ['project_risk', 'programme_id = :p'],
  ['output_actual', 'programme_id = :p'],
  ['output_target', 'programme_id = :p'],
  ['milestone', 'programme_id = :p'],
  ['spend_adjustment', 'programme_id = :p'],
  ['spend_profile', 'programme_id = :p'],
  ['allocation', 'programme_id = :p'],
  ['change_request', 'programme_id = :p'],
  ['programme_envelope', 'programme_id = :p'],
  ['return_comment', 'programme_id = :p'],
  ['return_snapshot_piece', 'version_id IN (SELECT id FROM return_version WHERE programme_id = :p)'],
  ['return_version', 'programme_id = :p'],
  ['headline_figure', 'programme_id = :p'],
  ['open_data_assumption', 'programme_id = :p'],
  ['project_pool_member', 'pool_id IN (SELECT id FROM project_pool WHERE programme_id = :p)'],
  ['project', 'programme_id = :p'],
  ['project_pool', 'programme_id = :p'],
  ['theme', 'programme_id = :p'],
  ['programme', 'id = :p'],
];

/** Runs SQL whose every `:p` is one id, with each driver's placeholders. */
function byId(m: EntityManager) {
  const pg = m.connection.options.type === 'postgres';
  return (text: string, id: number): Promise<any[]> => {
    const n = text.split(':p').length - 1;
    return m.query(text.replaceAll(':p', pg ? '$1' : '?'), pg ? [id] : Array<number>(n).fill(id));
  };
}

/** Who writes the demo: the seed and demo loaders, and the story's illustrative people. */
const DEMO_ACTORS = new Set([SYSTEM_ACTOR.name, DEMO_PROPOSER.name, DEMO_APPROVER.name, DEMO_SUBMITTER]);
/** Loading the deal is the demo's own doing whoever ran `seed`. */
const DEMO_ACTIONS = new Set(['seed', 'seed_demo']);

export interface DemoRemoval {
  programme: string;
  /** False when there was nothing to remove (or on a dry run). */
  removed: boolean;
  /** Rows removed (or that would be), per table, tables with none left out. */
  rows: Record<string, number>;
  /** Organisations no other programme or project names, removed with it. */
  organisations: string[];
}

/**
 * Removes the illustrative demo (the 2014 deal's programme and its delivery history) from a
 * database that holds it, in one audited transaction, once a real programme is entered beside it.
 * It refuses while the programme holds anything that is not the demo's: a write by anyone but
 * the loaders and the story's people, or a staff account assigned to one of its projects.
 */
@Injectable()
export class DemoRemovalService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
  ) {}

  /** The demo programme's code, from the demo file (the only place that names it). */
  demoProgramme(): string {
    return (JSON.parse(readFileSync(join(seedsDir(), DEMO_FILE), 'utf8')) as DemoFile).programme;
  }

  async remove(actor: Actor, opts: { dryRun?: boolean } = {}): Promise<DemoRemoval> {
    const code = this.demoProgramme();
    return this.db.write(async (m) => {
      const prog = await m.findOne(Programme, { where: { code } });
      if (!prog) return { programme: code, removed: false, rows: {}, organisations: [] };
      const q = byId(m);
      await this.refuseOthersWork(m, prog);
      const rows: Record<string, number> = {};
      for (const [table, where] of PARTS) {
        const [r] = await q(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`, prog.id);
        if (toInt(r.n) > 0) rows[table] = toInt(r.n);
      }
      const orgIds = (
        await q(
          `SELECT lep_organisation_id AS id FROM programme WHERE id = :p AND lep_organisation_id IS NOT NULL
           UNION SELECT lead_organisation_id AS id FROM project WHERE programme_id = :p AND lead_organisation_id IS NOT NULL`,
          prog.id,
        )
      ).map((r: { id: unknown }) => toInt(r.id));
      if (opts.dryRun) return { programme: code, removed: false, rows, organisations: await this.codes(m, orgIds) };
      for (const [table, where] of PARTS) await q(`DELETE FROM ${table} WHERE ${where}`, prog.id);
      // A table added later with a programme_id column and not listed above would keep rows here.
      for (const meta of m.connection.entityMetadatas) {
        if (meta.tableName === 'audit_entry' || !meta.columns.some((c) => c.databaseName === 'programme_id')) continue;
        const [r] = await q(`SELECT COUNT(*) AS n FROM ${meta.tableName} WHERE programme_id = :p`, prog.id);
        if (toInt(r.n) > 0) throw new Error(`demo removal left ${r.n} rows in ${meta.tableName}: add it to PARTS`);
      }
      // Organisations the demo named that nothing else names (lead bodies shared with a real deal stay).
      const orphans: number[] = [];
      for (const id of orgIds) {
        const [r] = await q(
          `SELECT (SELECT COUNT(*) FROM programme WHERE lep_organisation_id = :p)
                + (SELECT COUNT(*) FROM project WHERE lead_organisation_id = :p) AS n`,
          id,
        );
        if (toInt(r.n) === 0) orphans.push(id);
      }
      const organisations = await this.codes(m, orphans);
      for (const id of orphans) await q('DELETE FROM organisation WHERE id = :p', id);
      if (orphans.length) rows.organisation = orphans.length;
      await this.audit.record(m, actor, {
        programmeId: prog.id,
        entity: 'programme',
        entityId: prog.id,
        action: 'remove_demo',
        before: { code: prog.code, name: prog.name, illustrative: true },
        after: null,
        meta: { rows, organisations },
      });
      return { programme: code, removed: true, rows, organisations };
    });
  }

  private async codes(m: EntityManager, ids: number[]): Promise<string[]> {
    if (!ids.length) return [];
    const rows: { code: string }[] = await m
      .createQueryBuilder()
      .select('o.code', 'code')
      .from('organisation', 'o')
      .where('o.id IN (:...ids)', { ids })
      .orderBy('o.code')
      .getRawMany();
    return rows.map((r) => r.code);
  }

  /** Refuses (409 DEMO_HAS_REAL_WORK) naming each write and assignment that is not the demo's. */
  private async refuseOthersWork(m: EntityManager, prog: Programme): Promise<void> {
    const q = byId(m);
    const writes: { actor: string; action: string; entity: string; n: unknown }[] = await q(
      `SELECT actor, action, entity, COUNT(*) AS n FROM audit_entry WHERE programme_id = :p
       GROUP BY actor, action, entity ORDER BY actor, action, entity`,
      prog.id,
    );
    const others = writes
      .filter((w) => !DEMO_ACTORS.has(w.actor) && !DEMO_ACTIONS.has(w.action))
      .map((w) => `${toInt(w.n)} × ${w.action} ${w.entity} by ${w.actor}`);
    const assigned: { email: string; project: string }[] = await q(
      `SELECT u.email AS email, p.code AS project FROM user_project up
       JOIN app_user u ON u.id = up.user_id JOIN project p ON p.id = up.project_id
       WHERE p.programme_id = :p ORDER BY u.email, p.code`,
      prog.id,
    );
    const people = assigned.map((a) => `${a.email} is assigned to ${a.project}`);
    if (!others.length && !people.length) return;
    throw new ConflictError(
      'DEMO_HAS_REAL_WORK',
      `the demo programme ${prog.code} holds work that is not the demo's, so it was not removed: ${[...others, ...people].join('; ')}. ` +
        'Enter real work in a programme of its own (or start on a fresh database with SEED_ON_START=false and DEMO_DATA=false)',
      { writes: others, assignments: people },
    );
  }
}
