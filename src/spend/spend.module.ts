import { Module, OnModuleInit } from '@nestjs/common';
import { ReturnSectionsRegistry } from '../returns/return-sections.registry';
import { SpendController } from './spend.controller';
import { SpendService } from './spend.service';
import { FinanceSection, spendSummaryColumns } from './finance.section';

/** Also plugs its section into the quarterly return (ReturnsModule is global). */
@Module({ controllers: [SpendController], providers: [SpendService], exports: [SpendService] })
export class SpendModule implements OnModuleInit {
  constructor(private readonly registry: ReturnSectionsRegistry) {}

  onModuleInit(): void {
    this.registry.register(new FinanceSection());
    this.registry.registerSummaryColumns(spendSummaryColumns);
  }
}
