import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { BulkImportService } from './bulk-import.service';
import { DealLoadingController } from './deal-loading.controller';
import { SeedService } from './seed.service';

/** The seed file of the 2014 deal, loaded at start-up (see StartupService) and by `cli seed`. */
export { DEAL_SEED_FILE } from '../common/paths';

/**
 * Loading deals: a seed file (one deal, row by row, with its provenance) and the bulk import
 * (many deals, multi-row INSERTs). Each writes the deal's approved baseline in one audited
 * transaction and calls the features' own load functions (commitments, output targets,
 * open-data assumptions, envelope) explicitly.
 */
@Module({
  imports: [AuditModule],
  controllers: [DealLoadingController],
  providers: [SeedService, BulkImportService],
  exports: [SeedService, BulkImportService],
})
export class DealLoadingModule {}
