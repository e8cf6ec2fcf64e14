import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { PeriodsModule } from '../periods/periods.module';
import { OutputsController } from './outputs.controller';
import { OutputsService } from './outputs.service';

@Module({
  imports: [AuditModule, PeriodsModule],
  controllers: [OutputsController],
  providers: [OutputsService],
  exports: [OutputsService],
})
export class OutputsModule {}
