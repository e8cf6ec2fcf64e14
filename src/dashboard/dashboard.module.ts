import { Module } from '@nestjs/common';
import { PeriodsModule } from '../periods/periods.module';
import { DashboardController } from './dashboard.controller';
import { DashboardService } from './dashboard.service';
import { OverviewApiController } from './overview-api.controller';
import { ChangesModule } from '../changes/changes.module';
import { RagModule } from '../rag/rag.module';
import { ReconciliationModule } from '../reconciliation/reconciliation.module';
import { ChangesSinceService } from './delivery/changes-since';
import { SubmittedReturnsService } from './delivery/returns-list';
import { deliverySections } from './delivery/delivery-sections';
import { ChangeKindRegistry } from '../changes/kinds/kind';
import { RagService } from '../rag/rag.service';
import { DashboardSections } from './sections';
import { PeriodsService } from '../periods/periods.service';

/**
 * Public dashboard: the funding sections, then the delivery sections composed here; the
 * reconciliation (with delivered outputs) comes from ReconciliationService.
 */
@Module({
  imports: [PeriodsModule, ReconciliationModule, RagModule, ChangesModule],
  controllers: [OverviewApiController, DashboardController],
  providers: [
    DashboardService,
    ChangesSinceService,
    SubmittedReturnsService,
    {
      provide: DashboardSections,
      inject: [RagService, ChangeKindRegistry, PeriodsService],
      useFactory: (rag: RagService, kinds: ChangeKindRegistry, periods: PeriodsService) =>
        new DashboardSections(deliverySections(rag, kinds, periods)),
    },
  ],
  exports: [DashboardService, DashboardSections, ChangesSinceService, SubmittedReturnsService],
})
export class DashboardModule {}
