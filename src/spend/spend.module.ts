import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { PeriodsModule } from '../periods/periods.module';
import { SpendController } from './spend.controller';
import { SpendService } from './spend.service';
import { BaselineService } from './baseline.service';

@Module({
  imports: [AuditModule, PeriodsModule],
  controllers: [SpendController],
  providers: [SpendService, BaselineService],
  exports: [SpendService, BaselineService],
})
export class SpendModule {}
