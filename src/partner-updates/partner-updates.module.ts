import { Module } from '@nestjs/common';
import { MilestonesModule } from '../milestones/milestones.module';
import { OutputsModule } from '../outputs/outputs.module';
import { SpendModule } from '../spend/spend.module';
import { PartnerUpdatesService } from './partner-updates.service';

/** Delivery partners' quarterly updates: xlsx template out, all-or-nothing import back. */
@Module({
  imports: [SpendModule, MilestonesModule, OutputsModule],
  providers: [PartnerUpdatesService],
  exports: [PartnerUpdatesService],
})
export class PartnerUpdatesModule {}
