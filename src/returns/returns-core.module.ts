import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { PeriodsModule } from '../periods/periods.module';
import { ChangesModule } from '../changes/changes.module';
import { ReconciliationCoreModule } from '../reconciliation/reconciliation-core.module';
import { ReturnsService } from './returns.service';

/**
 * The quarterly return without its routes: what the `return` commands load (no controller, no
 * DTOs, no HTTP). ReturnsModule adds the API's controller on top.
 */
@Module({
  imports: [AuditModule, PeriodsModule, ChangesModule, ReconciliationCoreModule],
  providers: [ReturnsService],
  exports: [ReturnsService],
})
export class ReturnsCoreModule {}
