import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { MilestonesModule } from '../milestones/milestones.module';
import { OutputsModule } from '../outputs/outputs.module';
import { RisksModule } from '../risks/risks.module';
import { PeriodsModule } from '../periods/periods.module';
import { SpendModule } from '../spend/spend.module';
import { QuarterlyUpdatesService } from './quarterly-updates.service';

/** Projects' quarterly updates for the reporting quarter: draft, submit, return, accept. */
@Module({
  imports: [AuditModule, PeriodsModule, SpendModule, MilestonesModule, OutputsModule, RisksModule],
  providers: [QuarterlyUpdatesService],
  exports: [QuarterlyUpdatesService],
})
export class QuarterlyUpdatesModule {}
