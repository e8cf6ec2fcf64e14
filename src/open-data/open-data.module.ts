import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { OpenDataController } from './open-data.controller';
import { OpenDataService } from './open-data.service';

@Module({
  imports: [AuditModule],
  controllers: [OpenDataController],
  providers: [OpenDataService],
  exports: [OpenDataService],
})
export class OpenDataModule {}
