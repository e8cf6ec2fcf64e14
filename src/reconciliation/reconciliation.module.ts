import { Module } from '@nestjs/common';
import { DeliveredOutputTotals, OutputTotalsPort } from './output-totals.port';
import { NationalBreakdownController } from './national-breakdown.controller';
import { ReconciliationController } from './reconciliation.controller';
import { ReconciliationService } from './reconciliation.service';

@Module({
  controllers: [ReconciliationController, NationalBreakdownController],
  providers: [ReconciliationService, { provide: OutputTotalsPort, useClass: DeliveredOutputTotals }],
  exports: [ReconciliationService],
})
export class ReconciliationModule {}
