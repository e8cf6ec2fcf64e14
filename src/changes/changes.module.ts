import { Module, OnModuleInit } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { PeriodsModule } from '../periods/periods.module';
import { MilestonesModule } from '../milestones/milestones.module';
import { MilestonesService } from '../milestones/milestones.service';
import { OutputsModule } from '../outputs/outputs.module';
import { OutputsService } from '../outputs/outputs.service';
import { PeriodsService } from '../periods/periods.service';
import { SpendModule } from '../spend/spend.module';
import { SpendService } from '../spend/spend.service';
import { ApprovalService } from './approval.service';
import { ChangeRequestsController } from './change-requests.controller';
import { ChangeRequestsService } from './change-requests.service';
import { EnvelopeService } from './envelope.service';
import { ChangeKindRegistry } from './kinds/kind';
import { EnvelopeChangeKind } from './kinds/envelope-change.kind';
import {
  AddProjectKind,
  CompleteProjectKind,
  HoldProjectKind,
  PutOnHoldKind,
  ReinstateProjectKind,
  WithdrawProjectKind,
} from './kinds/project.kinds';
import { SetBaselineKind } from './kinds/set-baseline.kind';
import { ReduceAllocationKind } from './kinds/reduce-allocation.kind';
import { BaselineService } from '../spend/baseline.service';
import { ReallocationKind } from './kinds/reallocation.kind';
import { RebaselineMilestoneKind, RebaselineTargetKind } from './kinds/rebaseline.kinds';
import { ReprofileSpendKind } from './kinds/reprofile-spend.kind';
import { ReprofileYearsKind } from './kinds/reprofile-years.kind';

/**
 * Change requests and the envelope. The delivery kinds (reprofile_spend, rebaseline_milestone,
 * rebaseline_target) apply through the spend, milestones and outputs services' own methods,
 * inside the approval transaction. Other features may add kinds by injecting
 * ChangeKindRegistry (exported here) and registering a handler in their onModuleInit.
 */
@Module({
  imports: [AuditModule, PeriodsModule, SpendModule, MilestonesModule, OutputsModule],
  controllers: [ChangeRequestsController],
  providers: [ChangeKindRegistry, ApprovalService, ChangeRequestsService, EnvelopeService],
  exports: [ChangeKindRegistry, ApprovalService, ChangeRequestsService, EnvelopeService],
})
export class ChangesModule implements OnModuleInit {
  constructor(
    private readonly registry: ChangeKindRegistry,
    private readonly spend: SpendService,
    private readonly periods: PeriodsService,
    private readonly milestones: MilestonesService,
    private readonly outputs: OutputsService,
    private readonly baselines: BaselineService,
  ) {}

  onModuleInit(): void {
    for (const k of [
      new ReallocationKind(this.baselines, this.periods),
      new ReprofileYearsKind(this.periods),
      new EnvelopeChangeKind(),
      new AddProjectKind(this.baselines, this.periods),
      new WithdrawProjectKind(this.baselines),
      new PutOnHoldKind(),
      new HoldProjectKind(),
      new ReinstateProjectKind(),
      new CompleteProjectKind(),
      new SetBaselineKind(this.baselines, this.periods),
      new ReduceAllocationKind(this.baselines),
      new ReprofileSpendKind(this.spend, this.periods),
      new RebaselineMilestoneKind(this.milestones),
      new RebaselineTargetKind(this.outputs),
    ]) {
      if (!this.registry.get(k.kind)) this.registry.register(k);
    }
  }
}
