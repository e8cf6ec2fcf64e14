import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { PeriodsModule } from '../periods/periods.module';
import { MilestonesModule } from '../milestones/milestones.module';
import { OutputsModule } from '../outputs/outputs.module';
import { SpendModule } from '../spend/spend.module';
import { QuarterlyUpdatesModule } from '../quarterly-updates/quarterly-updates.module';
import { PartnerUpdatesService } from './partner-updates.service';

/** Delivery partners' quarterly updates: xlsx template out, all-or-nothing import back. */
@Module({
  imports: [AuditModule, PeriodsModule, SpendModule, MilestonesModule, OutputsModule, QuarterlyUpdatesModule],
  providers: [PartnerUpdatesService],
  exports: [PartnerUpdatesService],
})
export class PartnerUpdatesModule {}
