import { Module, OnModuleInit } from '@nestjs/common';
import { ReturnSectionsRegistry } from '../returns/return-sections.registry';
import { MilestonesController } from './milestones.controller';
import { MilestonesService } from './milestones.service';
import { MilestonesSection } from './milestones.section';

/** Also plugs its section into the quarterly return (ReturnsModule is global). */
@Module({ controllers: [MilestonesController], providers: [MilestonesService], exports: [MilestonesService] })
export class MilestonesModule implements OnModuleInit {
  constructor(private readonly registry: ReturnSectionsRegistry) {}

  onModuleInit(): void {
    this.registry.register(new MilestonesSection());
  }
}
