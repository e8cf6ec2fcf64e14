import { Global, Module } from '@nestjs/common';
import { DashboardController } from './dashboard.controller';
import { DashboardService } from './dashboard.service';
import { OverviewApiController } from './overview-api.controller';
import { EngineReconciliationAdapter, RECONCILIATION_SOURCE } from './reconciliation-source';
import { DashboardSections } from './sections';

/**
 * Public dashboard. Other features add sections through DashboardSections (global), and the
 * reconciliation service replaces the engine adapter by providing RECONCILIATION_SOURCE.
 */
@Global()
@Module({
  controllers: [OverviewApiController, DashboardController],
  providers: [DashboardService, DashboardSections, { provide: RECONCILIATION_SOURCE, useClass: EngineReconciliationAdapter }],
  exports: [DashboardService, DashboardSections],
})
export class DashboardModule {}
