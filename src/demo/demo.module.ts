import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ChangesModule } from '../changes/changes.module';
import { ReturnsModule } from '../returns/returns.module';
import { DemoChangesLoader } from './demo-changes';
import { DemoService } from './demo.service';

/** The illustrative delivery history (loaded after the deal by StartupService and `cli seed`). */
@Module({
  imports: [AuditModule, ChangesModule, ReturnsModule],
  providers: [DemoService, DemoChangesLoader],
  exports: [DemoService],
})
export class DemoModule {}
