import { Global, Module } from '@nestjs/common';
import { DashboardController } from './dashboard.controller';
import { DashboardService } from './dashboard.service';
import { OverviewApiController } from './overview-api.controller';
import { ReconciliationModule } from '../reconciliation/reconciliation.module';
import { DashboardSections } from './sections';

/**
 * Public dashboard. Other features add sections through DashboardSections (global); the
 * reconciliation (with delivered outputs) comes from ReconciliationService.
 */
@Global()
@Module({
  imports: [ReconciliationModule],
  controllers: [OverviewApiController, DashboardController],
  providers: [DashboardService, DashboardSections],
  exports: [DashboardService, DashboardSections],
})
export class DashboardModule {}
