import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { Actor, SYSTEM_ACTOR } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { Db } from '../database/db.service';
import type { DealSeed } from './deal-seed.types';
import { SeedRun } from './seed-run.entity';
import { BulkInserter, createInserter, variableLimit } from './bulk-insert';
import { dealRowCount, DealImportResult, importDeals } from './deal-import';

export interface BulkImportOptions {
  /** Recorded in seed_run: importing the same name twice imports nothing. */
  name: string;
  actor?: Actor;
  /** Content hash of what is imported; by default SHA-256 of the deals' canonical JSON. */
  sha256?: string;
  /** Extra facts for the audit entry (e.g. the generator's parameters). */
  meta?: Record<string, unknown>;
  /** Called with rows written so far and the expected total (progress bars). */
  onProgress?: (done: number, total: number) => void;
  /** More rows in the same transaction after the deals (e.g. generated delivery rows); returns rows written. */
  after?: (ins: BulkInserter, result: DealImportResult) => Promise<number>;
  /** Rows `after` will write, for the progress total. */
  extraRows?: number;
}

export interface BulkImportResult {
  name: string;
  loaded: boolean;
  rows: number;
  programmes: string[];
  sha256: string;
}

export function contentHash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

/**
 * The fast path for loading many deals: multi-row INSERTs in one transaction, one audit
 * entry for the whole import (row count and content hash), never a round trip per row.
 */
@Injectable()
export class BulkImportService {
  private readonly logger = new Logger('BulkImport');

  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
  ) {}

  async importDeals(seeds: readonly DealSeed[], opts: BulkImportOptions): Promise<BulkImportResult> {
    const sha256 = opts.sha256 ?? contentHash(seeds);
    const actor = opts.actor ?? SYSTEM_ACTOR;
    const total = dealRowCount(seeds) + (opts.extraRows ?? 0);
    const programmes = seeds.map((s) => s.programme.code);
    return this.db.write(async (m) => {
      if (await m.findOne(SeedRun, { where: { name: opts.name } }))
        return { name: opts.name, loaded: false, rows: 0, programmes, sha256 };
      let done = 0;
      const ins = createInserter(m, this.db.type, await variableLimit(m, this.db.type), {
        onRows: (n) => {
          done += n;
          opts.onProgress?.(done, total);
        },
      });
      const result = await importDeals(ins, seeds);
      const rows = result.rows + (opts.after ? await opts.after(ins, result) : 0);
      await m.insert(SeedRun, { name: opts.name, sha256, loadedAt: new Date().toISOString(), rowCount: rows });
      await this.audit.record(m, actor, {
        programmeId: seeds.length === 1 ? result.deals[0].programmeId : null,
        projectIds: result.deals.flatMap((d) => [...d.projects.values()]),
        entity: 'bulk_import',
        entityId: opts.name,
        action: 'bulk_import',
        after: {
          programmes:
            programmes.length <= 20
              ? programmes
              : { count: programmes.length, first: programmes[0], last: programmes[programmes.length - 1] },
        },
        meta: { ...opts.meta, name: opts.name, sha256, rows, approvedBaseline: true },
      });
      this.logger.log(`imported ${opts.name}: ${rows} rows, ${programmes.length} programmes`);
      return { name: opts.name, loaded: true, rows, programmes, sha256 };
    });
  }
}
