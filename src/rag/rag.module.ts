import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { PeriodsModule } from '../periods/periods.module';
import { RagController } from './rag.controller';
import { RagService } from './rag.service';

@Module({
  imports: [AuditModule, PeriodsModule],
  controllers: [RagController],
  providers: [RagService],
  exports: [RagService],
})
export class RagModule {}
