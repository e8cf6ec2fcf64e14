import { Module, OnModuleInit } from '@nestjs/common';
import { SeedService } from '../seed/seed.service';
import { ApprovalService } from './approval.service';
import { ChangeRequestsController } from './change-requests.controller';
import { ChangeRequestsService } from './change-requests.service';
import { initialiseEnvelope } from './envelope.queries';
import { EnvelopeService } from './envelope.service';
import { ChangeKindRegistry } from './kinds/kind';
import { EnvelopeChangeKind } from './kinds/envelope-change.kind';
import { AddProjectKind, PutOnHoldKind, WithdrawProjectKind } from './kinds/project.kinds';
import { ReallocationKind } from './kinds/reallocation.kind';
import { ReprofileYearsKind } from './kinds/reprofile-years.kind';

/**
 * Change requests and the envelope. Other features add kinds by injecting ChangeKindRegistry
 * (exported here) and registering a handler in their onModuleInit: `reprofile_spend` from the
 * spend feature (SpendService.applyBaseline) and `rebaseline` from milestones/outputs
 * (MilestonesService.rebaseline) are expected to arrive that way.
 */
@Module({
  controllers: [ChangeRequestsController],
  providers: [ChangeKindRegistry, ApprovalService, ChangeRequestsService, EnvelopeService],
  exports: [ChangeKindRegistry, ChangeRequestsService, EnvelopeService],
})
export class ChangesModule implements OnModuleInit {
  constructor(
    private readonly registry: ChangeKindRegistry,
    private readonly seeds: SeedService,
  ) {}

  onModuleInit(): void {
    for (const k of [new ReallocationKind(), new ReprofileYearsKind(), new EnvelopeChangeKind(), new AddProjectKind(), new WithdrawProjectKind(), new PutOnHoldKind()]) {
      if (!this.registry.get(k.kind)) this.registry.register(k);
    }
    // A loaded deal's envelope is its approved baseline, in the seed's own transaction and audit entry.
    this.seeds.registerSection('envelope', (m, _seed, ctx) => initialiseEnvelope(m, ctx.programme.id));
  }
}
