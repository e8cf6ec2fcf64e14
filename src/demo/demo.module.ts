import { Module, OnModuleInit } from '@nestjs/common';
import { SeedModule } from '../seed/seed.module';
import { SeedService } from '../seed/seed.service';
import { DemoService } from './demo.service';

/** Which app's demo service belongs to which SeedService (tests start several apps in one process). */
const byApp = new WeakMap<SeedService, DemoService>();

SeedModule.registerStartupStep('demo-delivery', async (seed) => {
  if (!seed.config.DEMO_DATA) return;
  await byApp.get(seed.seeds)?.load();
});

@Module({ providers: [DemoService], exports: [DemoService] })
export class DemoModule implements OnModuleInit {
  constructor(
    private readonly demo: DemoService,
    private readonly seeds: SeedService,
  ) {}

  onModuleInit() {
    byApp.set(this.seeds, this.demo);
  }
}
