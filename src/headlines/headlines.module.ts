import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { HeadlinesController } from './headlines.controller';
import { HeadlinesService } from './headlines.service';

@Module({
  imports: [AuditModule],
  controllers: [HeadlinesController],
  providers: [HeadlinesService],
  exports: [HeadlinesService],
})
export class HeadlinesModule {}
