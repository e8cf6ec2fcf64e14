import { Module } from '@nestjs/common';
import { NationalBreakdownController } from './national-breakdown.controller';
import { ReconciliationCoreModule } from './reconciliation-core.module';
import { ReconciliationController } from './reconciliation.controller';

@Module({
  imports: [ReconciliationCoreModule],
  controllers: [ReconciliationController, NationalBreakdownController],
  exports: [ReconciliationCoreModule],
})
export class ReconciliationModule {}
