import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { EntityManager } from 'typeorm';
import { Actor } from '../auth/actor';
import { formatQuarter, quarterOfDate } from '../common/fiscal';
import { Db } from '../database/db.service';
import { Allocation } from '../funding/allocation.entity';
import { Milestone } from '../milestones/milestone.entity';
import { Programme } from '../programmes/programme.entity';
import { Project } from '../projects/project.entity';
import { SeedRun } from '../deal-loading/seed-run.entity';
import { ApprovalService } from '../changes/approval.service';
import { ChangeRequestsService } from '../changes/change-requests.service';

export const DEMO_CHANGES_FILE = 'demo-changes.json';

/** seeds/demo-changes.json: illustrative change requests replayed through the real services. */
export interface DemoChangesFile {
  name: string;
  illustrative: true;
  programme: string;
  changes: {
    /** The quarter the story places it in; every timestamp is checked against it. */
    quarter: string;
    kind: string;
    title: string;
    reason: string;
    evidence?: string;
    /** `{"$allocation":"MEAFORD/LGF"}` and `{"$milestone":"LSTP/contract_award"}` stand for ids. */
    payload: Record<string, unknown>;
    createdAt: string;
    submittedAt?: string;
    decision?: { state: 'approved' | 'rejected'; at: string; reason: string };
  }[];
}

export const DEMO_PROPOSER: Actor = {
  userId: null,
  name: 'demo programme manager (illustrative)',
  role: 'programme_manager',
};
export const DEMO_APPROVER: Actor = { userId: null, name: 'demo approver (illustrative)', role: 'approver' };

/**
 * Replays the illustrative change requests inside the demo loader's transaction, through the
 * same create/submit/approve/reject code as HTTP, with the story's own dates (so "decided in
 * the quarter" works for returns). Loads once (seed_run).
 */
@Injectable()
export class DemoChangesLoader {
  constructor(
    private readonly db: Db,
    private readonly changes: ChangeRequestsService,
    private readonly approval: ApprovalService,
  ) {}

  async load(m: EntityManager, programme: Programme, path: string): Promise<number> {
    const raw = readFileSync(path);
    const file = JSON.parse(raw.toString('utf8')) as DemoChangesFile;
    if (file.illustrative !== true) throw new Error(`${path}: demo data must be marked "illustrative": true`);
    if (file.programme !== programme.code) return 0;
    if (await m.findOne(SeedRun, { where: { name: file.name } })) return 0;
    const resolve = await this.resolver(m, programme, path);
    // The story's programme manager manages every project of the demo programme.
    const proposer: Actor = {
      ...DEMO_PROPOSER,
      projects: (await m.find(Project, { where: { programmeId: programme.id } })).map(
        (p) => `${programme.code}/${p.code}`,
      ),
    };
    let rows = 0;
    for (const c of file.changes) {
      for (const at of [c.createdAt, c.submittedAt, c.decision?.at]) {
        if (at && formatQuarter(quarterOfDate(at.slice(0, 10))) !== c.quarter)
          throw new Error(`${path}: "${c.title}": ${at} is not in ${c.quarter}`);
      }
      const dto = {
        kind: c.kind,
        title: c.title,
        reason: c.reason,
        evidence: c.evidence,
        payload: resolve(c.payload) as Record<string, unknown>,
      };
      const created = await this.changes.createIn(m, programme.code, dto, proposer, {
        at: c.createdAt,
        illustrative: true,
      });
      if (c.submittedAt) await this.changes.submitIn(m, programme.code, created.number, {}, proposer, c.submittedAt);
      if (c.decision?.state === 'approved')
        await this.approval.approveIn(
          m,
          programme.code,
          created.number,
          { reason: c.decision.reason, decidedAt: c.decision.at },
          DEMO_APPROVER,
        );
      if (c.decision?.state === 'rejected')
        await this.changes.rejectIn(
          m,
          programme.code,
          created.number,
          { reason: c.decision.reason },
          DEMO_APPROVER,
          c.decision.at,
        );
      rows++;
    }
    await m.insert(SeedRun, {
      name: file.name,
      sha256: createHash('sha256').update(raw).digest('hex'),
      loadedAt: new Date().toISOString(),
      rowCount: rows,
    });
    return rows;
  }

  /** Replaces symbolic references with ids (one query per table). */
  private async resolver(m: EntityManager, programme: Programme, path: string) {
    const projects = new Map(
      (await m.find(Project, { where: { programmeId: programme.id } })).map((p) => [p.id, p.code]),
    );
    const allocations = await m.find(Allocation, { where: { programmeId: programme.id, approvalState: 'approved' } });
    const milestones = await m.find(Milestone, { where: { programmeId: programme.id } });
    const one = <T extends { id: number }>(rows: T[], ref: string): number => {
      if (rows.length !== 1) throw new Error(`${path}: ${ref} matches ${rows.length} rows, not one`);
      return rows[0].id;
    };
    const walk = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(walk);
      if (v === null || typeof v !== 'object') return v;
      const o = v as Record<string, unknown>;
      if (typeof o.$allocation === 'string') {
        const [project, kind] = o.$allocation.split('/');
        return one(
          allocations.filter(
            (a) =>
              a.projectId !== null &&
              projects.get(a.projectId) === project &&
              a.sourceKind === kind &&
              a.commitmentStatus !== 'withdrawn',
          ),
          o.$allocation,
        );
      }
      if (typeof o.$milestone === 'string') {
        const [project, kind] = o.$milestone.split('/');
        return one(
          milestones.filter((x) => x.projectId !== null && projects.get(x.projectId) === project && x.kind === kind),
          o.$milestone,
        );
      }
      return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, walk(x)]));
    };
    return walk;
  }
}
