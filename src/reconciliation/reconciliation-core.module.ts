import { Module } from '@nestjs/common';
import { DeliveredOutputTotals, OutputTotalsPort } from './output-totals.port';
import { ReconciliationService } from './reconciliation.service';

/** The service without its HTTP routes: what the command line loads (no controllers, DTOs or OpenAPI). */
@Module({
  providers: [ReconciliationService, { provide: OutputTotalsPort, useClass: DeliveredOutputTotals }],
  exports: [ReconciliationService],
})
export class ReconciliationCoreModule {}
