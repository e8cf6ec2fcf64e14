import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { MilestonesModule } from '../milestones/milestones.module';
import { OutputsModule } from '../outputs/outputs.module';
import { RisksModule } from '../risks/risks.module';
import { PeriodsModule } from '../periods/periods.module';
import { SpendModule } from '../spend/spend.module';
import { QuarterlyUpdatesService } from './quarterly-updates.service';
import { SpendConfirmationService } from './spend-confirmation.service';
import { UpdateDraftsService } from './update-drafts.service';
import { UpdateReader } from './update-reader';
import { UpdateReviewService } from './update-review.service';

/** Projects' quarterly updates for the reporting quarter: draft, submit, return, accept. */
@Module({
  imports: [AuditModule, PeriodsModule, SpendModule, MilestonesModule, OutputsModule, RisksModule],
  providers: [
    QuarterlyUpdatesService,
    UpdateReader,
    UpdateDraftsService,
    UpdateReviewService,
    SpendConfirmationService,
  ],
  exports: [QuarterlyUpdatesService, UpdateDraftsService, UpdateReviewService, SpendConfirmationService],
})
export class QuarterlyUpdatesModule {}
