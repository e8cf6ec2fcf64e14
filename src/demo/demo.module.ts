import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ChangesModule } from '../changes/changes.module';
import { ReturnsModule } from '../returns/returns.module';
import { DemoChangesLoader } from './demo-changes';
import { DemoRemovalService } from './demo-removal';
import { DemoService } from './demo.service';

/** The illustrative delivery history (loaded after the deal by StartupService and `cli seed`; removed by `cli demo remove`). */
@Module({
  imports: [AuditModule, ChangesModule, ReturnsModule],
  providers: [DemoService, DemoChangesLoader, DemoRemovalService],
  exports: [DemoService, DemoRemovalService],
})
export class DemoModule {}
