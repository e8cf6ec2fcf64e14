import { Module, OnModuleInit } from '@nestjs/common';
import { ReturnSectionsRegistry } from '../returns/return-sections.registry';
import { OutputsController } from './outputs.controller';
import { OutputsService } from './outputs.service';
import { OutputsSection } from './outputs.section';

/** Also plugs its section into the quarterly return (ReturnsModule is global). */
@Module({ controllers: [OutputsController], providers: [OutputsService], exports: [OutputsService] })
export class OutputsModule implements OnModuleInit {
  constructor(private readonly registry: ReturnSectionsRegistry) {}

  onModuleInit(): void {
    this.registry.register(new OutputsSection());
  }
}
