import { Global, Module } from '@nestjs/common';
import { DashboardController } from './dashboard.controller';
import { DashboardService } from './dashboard.service';
import { OverviewApiController } from './overview-api.controller';
import { ChangesModule } from '../changes/changes.module';
import { RagModule } from '../rag/rag.module';
import { ReconciliationModule } from '../reconciliation/reconciliation.module';
import { ChangesSinceService } from './delivery/changes-since';
import { DeliverySectionsRegistrar } from './delivery/delivery.registrar';
import { DashboardSections } from './sections';

/**
 * Public dashboard. Other features add sections through DashboardSections (global); the
 * reconciliation (with delivered outputs) comes from ReconciliationService.
 */
@Global()
@Module({
  imports: [ReconciliationModule, RagModule, ChangesModule],
  controllers: [OverviewApiController, DashboardController],
  providers: [DashboardService, DashboardSections, ChangesSinceService, DeliverySectionsRegistrar],
  exports: [DashboardService, DashboardSections],
})
export class DashboardModule {}
