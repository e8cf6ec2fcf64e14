import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { PeriodsModule } from '../periods/periods.module';
import { RisksController } from './risks.controller';
import { RisksService } from './risks.service';

/** Projects' risk registers. */
@Module({
  imports: [AuditModule, PeriodsModule],
  controllers: [RisksController],
  providers: [RisksService],
  exports: [RisksService],
})
export class RisksModule {}
