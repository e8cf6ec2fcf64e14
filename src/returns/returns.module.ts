import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { PeriodsModule } from '../periods/periods.module';
import { ChangesModule } from '../changes/changes.module';
import { ReconciliationModule } from '../reconciliation/reconciliation.module';
import { ReturnsController } from './returns.controller';
import { ReturnsService } from './returns.service';

/** The quarterly return: every section is in returns/sections/, composed by ReturnsService. */
@Module({
  imports: [AuditModule, PeriodsModule, ChangesModule, ReconciliationModule],
  controllers: [ReturnsController],
  providers: [ReturnsService],
  exports: [ReturnsService],
})
export class ReturnsModule {}
