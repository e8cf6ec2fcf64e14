import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { PeriodsModule } from '../periods/periods.module';
import { ReconciliationCoreModule } from '../reconciliation/reconciliation-core.module';
import { ReturnsService } from './returns.service';

/**
 * The quarterly return without its routes: what the `return` commands load (no controller, no
 * DTOs, no HTTP, no OpenAPI or class-validator). The change requests' module, whose kinds
 * validate payloads with class-validator, is loaded by ReturnsService only when a return lists
 * decided change requests. ReturnsModule adds the API's controller on top.
 */
@Module({
  imports: [AuditModule, PeriodsModule, ReconciliationCoreModule],
  providers: [ReturnsService],
  exports: [ReturnsService],
})
export class ReturnsCoreModule {}
