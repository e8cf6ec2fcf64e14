import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { EntityManager } from 'typeorm';
import { Actor, SYSTEM_ACTOR } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { DuplicateError } from '../common/errors';
import { parsePounds } from '../common/money';
import { Db } from '../database/db.service';
import { Allocation } from '../funding/allocation.entity';
import { CORE_SOURCE_KINDS, SourceKind } from '../funding/source-kind.entity';
import { HeadlineFigure, HeadlineUnit, Qualifier } from '../headlines/headline-figure.entity';
import { Organisation, OrganisationKind } from '../organisations/organisation.entity';
import { Programme } from '../programmes/programme.entity';
import { Theme } from '../programmes/theme.entity';
import { ProjectPool } from '../projects/project-pool.entity';
import { Project, ProjectStatus } from '../projects/project.entity';
import { DealSeed } from './deal-seed.types';
import { provenanceOf } from '../common/provenance';
import { initialiseEnvelope } from '../changes/envelope.queries';
import { loadDealCommitments } from '../milestones/deal-commitments.load';
import { loadDealOutputTargets } from '../outputs/deal-targets.load';
import { loadDefaultAssumptions } from '../open-data/assumptions';
import { createInserter, variableLimit } from './bulk-insert';
import { dealRowCount, importDeals } from './deal-import';
import { SeedRun } from './seed-run.entity';
import { SeedFileError, validateDealSeed } from './seed-validation';
import { parsePeriod } from '../funding/period';

/** Codes to ids for the programme being loaded, handed to section handlers. */
export interface SeedContext {
  programme: Programme;
  themes: Map<string, number>;
  projects: Map<string, number>;
  pools: Map<string, number>;
  organisations: Map<string, number>;
  actor: Actor;
  illustrative: boolean;
}

export interface SeedResult {
  name: string;
  loaded: boolean;
  rows: number;
  programme: string;
}

/** Seeds with more rows than this load through the bulk import path (multi-row INSERTs). */
export const BULK_SEED_THRESHOLD = 1000;

@Injectable()
export class SeedService {
  private readonly logger = new Logger('Seed');

  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
  ) {}

  readSeedFile(path: string): DealSeed {
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      throw new SeedFileError(path, [{ path: '', problem: `cannot be read as JSON: ${(e as Error).message}` }]);
    }
    return validateDealSeed(path, data);
  }

  /** Loads a deal seed in one transaction; a seed already loaded (by name) loads nothing. */
  async loadDeal(path: string, actor: Actor = SYSTEM_ACTOR, opts: { bulk?: boolean } = {}): Promise<SeedResult> {
    const raw = readFileSync(path);
    const sha256 = createHash('sha256').update(raw).digest('hex');
    const seed = this.readSeedFile(path);
    return this.loadSeed(seed, { file: basename(path), sha256 }, actor, opts);
  }

  /**
   * The API's door to the same loader: a deal in the seed file's shape (one JSON schema, checked
   * the same way), loaded in one audited transaction. Unlike start-up, a deal whose name was
   * already loaded is refused (409), so a repeated request cannot look like a new load.
   */
  async loadDealData(data: unknown, actor: Actor): Promise<SeedResult> {
    const seed = validateDealSeed('deal', data);
    const sha256 = createHash('sha256').update(JSON.stringify(data)).digest('hex');
    return this.loadSeed(seed, { file: 'POST /api/deals', sha256, refuseLoaded: true }, actor, {});
  }

  private loadSeed(
    seed: DealSeed,
    from: { file: string; sha256: string; refuseLoaded?: boolean },
    actor: Actor,
    opts: { bulk?: boolean },
  ): Promise<SeedResult> {
    const { sha256 } = from;
    return this.db.write(async (m) => {
      if (await m.findOne(SeedRun, { where: { name: seed.name } })) {
        if (from.refuseLoaded) throw new DuplicateError('deal', 'name', seed.name);
        return { name: seed.name, loaded: false, rows: 0, programme: seed.programme.code };
      }
      if (await m.findOne(Programme, { where: { code: seed.programme.code } })) {
        throw new DuplicateError('programme', 'code', seed.programme.code);
      }
      const bulk = opts.bulk ?? dealRowCount([seed]) > BULK_SEED_THRESHOLD;
      const ctx = bulk ? await this.insertDealBulk(m, seed, actor) : await this.insertDeal(m, seed, actor);
      const programmeId = ctx.ctx.programme.id;
      // Each feature loads its own part of the deal, in this transaction and audit entry.
      let rows = ctx.rows;
      rows += await loadDealCommitments(m, programmeId, seed.commitments ?? [], ctx.ctx.illustrative);
      rows += await loadDealOutputTargets(m, programmeId, seed.headlines, ctx.ctx.illustrative);
      rows += await loadDefaultAssumptions(m, ctx.ctx.programme);
      // A loaded deal's envelope is its approved baseline.
      rows += await initialiseEnvelope(m, programmeId);
      await m.insert(SeedRun, { name: seed.name, sha256, loadedAt: new Date().toISOString(), rowCount: rows });
      await this.audit.record(m, actor, {
        programmeId: ctx.ctx.programme.id,
        entity: 'programme',
        entityId: ctx.ctx.programme.id,
        action: 'seed',
        after: { code: seed.programme.code },
        meta: { file: from.file, sha256, rows, approvedBaseline: true },
      });
      this.logger.log(`loaded ${seed.name}: ${rows} rows`);
      return { name: seed.name, loaded: true, rows, programme: seed.programme.code };
    });
  }

  async ensureSourceKinds(m: EntityManager): Promise<void> {
    for (const k of CORE_SOURCE_KINDS) {
      if (!(await m.findOne(SourceKind, { where: { code: k.code } }))) await m.insert(SourceKind, k);
    }
  }

  /** The same rows as insertDeal, written with multi-row statements (large seeds). */
  private async insertDealBulk(
    m: EntityManager,
    seed: DealSeed,
    actor: Actor,
  ): Promise<{ ctx: SeedContext; rows: number }> {
    const ins = createInserter(m, this.db.type, await variableLimit(m, this.db.type));
    const { deals, rows } = await importDeals(ins, [seed]);
    const d = deals[0];
    const programme = await m.findOneOrFail(Programme, { where: { id: d.programmeId } });
    return {
      ctx: {
        programme,
        themes: d.themes,
        projects: d.projects,
        pools: d.pools,
        organisations: d.organisations,
        actor,
        illustrative: seed.illustrative ?? false,
      },
      rows,
    };
  }

  private async insertDeal(
    m: EntityManager,
    seed: DealSeed,
    actor: Actor,
  ): Promise<{ ctx: SeedContext; rows: number }> {
    const illustrative = seed.illustrative ?? false;
    let rows = 0;
    await this.ensureSourceKinds(m);
    const organisations = new Map<string, number>();
    for (const o of seed.organisations ?? []) {
      const existing = await m.findOne(Organisation, { where: { code: o.code } });
      if (existing) {
        organisations.set(o.code, existing.id);
        continue;
      }
      const r = await m.insert(Organisation, {
        code: o.code,
        name: o.name,
        kind: o.kind as OrganisationKind,
        identifier: o.identifier ?? null,
        identifierAssumed: o.identifierAssumed ?? false,
      });
      organisations.set(o.code, r.identifiers[0].id as number);
      rows++;
    }
    const p = seed.programme;
    const pr = await m.insert(Programme, {
      code: p.code,
      name: p.name,
      description: p.description ?? null,
      lepOrganisationId: p.lep ? (organisations.get(p.lep) ?? null) : null,
      startsOn: p.startsOn,
      endsOn: p.endsOn,
      firstQuarter: p.firstQuarter,
      ragThresholds: null,
      synthetic: p.synthetic ?? false,
    });
    const programme = (await m.findOneOrFail(Programme, {
      where: { id: pr.identifiers[0].id as number },
    })) as Programme;
    rows++;
    const themes = new Map<string, number>();
    for (const [i, t] of seed.themes.entries()) {
      const r = await m.insert(Theme, {
        programmeId: programme.id,
        code: t.code,
        name: t.name,
        description: t.description ?? null,
        position: i + 1,
        source: provenanceOf(t.source, illustrative),
      });
      themes.set(t.code, r.identifiers[0].id as number);
      rows++;
    }
    const projects = new Map<string, number>();
    for (const x of seed.projects) {
      const r = await m.insert(Project, {
        programmeId: programme.id,
        themeId: x.theme ? themes.get(x.theme)! : null,
        code: x.code,
        name: x.name,
        description: x.description ?? null,
        location: x.location ?? null,
        status: (x.status ?? 'approved') as ProjectStatus,
        leadOrganisationId: x.leadBody ? organisations.get(x.leadBody)! : null,
        source: provenanceOf(x.source, illustrative),
      });
      projects.set(x.code, r.identifiers[0].id as number);
      rows++;
    }
    const pools = new Map<string, number>();
    for (const x of seed.pools ?? []) {
      const r = await m.insert(ProjectPool, {
        programmeId: programme.id,
        themeId: x.theme ? themes.get(x.theme)! : null,
        code: x.code,
        name: x.name,
        description: x.description ?? null,
        source: provenanceOf(x.source, illustrative),
      });
      const poolId = r.identifiers[0].id as number;
      pools.set(x.code, poolId);
      for (const c of x.projects)
        await m.query(`INSERT INTO project_pool_member (pool_id, project_id) VALUES (${poolId}, ${projects.get(c)!})`);
      rows++;
    }
    const now = new Date().toISOString();
    // The deal's approved baseline: written here once, in the same audited transaction.
    for (const a of seed.allocations) {
      await m.insert(Allocation, {
        programmeId: programme.id,
        sourceKind: a.sourceKind,
        projectId: a.project ? projects.get(a.project)! : null,
        poolId: a.pool ? pools.get(a.pool)! : null,
        ...parsePeriod(a.period),
        amountPence: parsePounds(a.amount),
        commitmentStatus: a.commitmentStatus as Allocation['commitmentStatus'],
        approvalState: 'approved',
        description: a.description ?? null,
        source: provenanceOf(a.source, illustrative),
        createdAt: now,
        updatedAt: now,
      });
      rows++;
    }
    for (const h of seed.headlines) {
      const pounds = h.unit === 'pounds';
      await m.insert(HeadlineFigure, {
        programmeId: programme.id,
        code: h.code,
        measure: h.measure,
        label: h.label,
        qualifier: h.qualifier as Qualifier,
        unit: h.unit as HeadlineUnit,
        value: pounds ? parsePounds(h.amount) : h.value!,
        precision: pounds ? parsePounds(h.precision) : Number(h.precision),
        rule: h.rule,
        tableName: h.table?.name ?? null,
        tableRow: h.table?.row ?? null,
        tableColumn: h.table?.column ?? null,
        notes: h.notes ?? null,
        source: provenanceOf(h.source, illustrative),
      });
      rows++;
    }
    return { ctx: { programme, themes, projects, pools, organisations, actor, illustrative }, rows };
  }
}
