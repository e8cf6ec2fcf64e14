import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { EntityManager } from 'typeorm';
import { Actor, SYSTEM_ACTOR } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { DuplicateError } from '../common/errors';
import { Db } from '../database/db.service';
import { Programme } from '../programmes/programme.entity';
import { DealSeed } from './deal-seed.types';
import { initialiseEnvelope } from '../changes/envelope.queries';
import { loadDealCommitments } from '../milestones/deal-commitments.load';
import { loadDealOutputTargets } from '../outputs/deal-targets.load';
import { loadDefaultAssumptions } from '../open-data/assumptions';
import { createInserter, variableLimit } from './bulk-insert';
import { dealRowCount, ImportedDeal, importDeals } from './deal-import';
import { SeedRun } from './seed-run.entity';
import { SeedFileError, validateDealSeed } from './seed-validation';

export interface SeedResult {
  name: string;
  loaded: boolean;
  rows: number;
  programme: string;
}

/** Seeds with more rows than this load with multi-row INSERTs rather than row by row. */
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
      const { deal, rows: dealRows } = await this.insertDeal(m, seed, bulk);
      const { programmeId } = deal;
      const illustrative = seed.illustrative ?? false;
      // Each feature loads its own part of the deal, in this transaction and audit entry.
      let rows = dealRows;
      rows += await loadDealCommitments(m, programmeId, seed.commitments ?? [], illustrative);
      rows += await loadDealOutputTargets(m, programmeId, seed.headlines, illustrative);
      rows += await loadDefaultAssumptions(m, { id: programmeId, code: seed.programme.code });
      // A loaded deal's envelope is its approved baseline.
      rows += await initialiseEnvelope(m, programmeId);
      await m.insert(SeedRun, { name: seed.name, sha256, loadedAt: new Date().toISOString(), rowCount: rows });
      await this.audit.record(m, actor, {
        programmeId,
        projectIds: deal.projects.values(),
        entity: 'programme',
        entityId: programmeId,
        action: 'seed',
        after: { code: seed.programme.code },
        meta: { file: from.file, sha256, rows, approvedBaseline: true },
      });
      this.logger.log(`loaded ${seed.name}: ${rows} rows`);
      return { name: seed.name, loaded: true, rows, programme: seed.programme.code };
    });
  }

  /**
   * The deal's own rows through the one insert path (`importDeals`, shared with the bulk
   * import): row by row for a small seed, multi-row statements for a large one.
   */
  private async insertDeal(
    m: EntityManager,
    seed: DealSeed,
    bulk: boolean,
  ): Promise<{ deal: ImportedDeal; rows: number }> {
    const limit = await variableLimit(m, this.db.type);
    const ins = createInserter(m, this.db.type, limit, bulk ? {} : { rowsPerStatement: 1 });
    const { deals, rows } = await importDeals(ins, [seed]);
    return { deal: deals[0], rows };
  }
}
