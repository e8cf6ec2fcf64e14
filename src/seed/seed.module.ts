import { Global, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { join } from 'node:path';
import { AppConfig } from '../config/config';
import { seedsDir } from '../common/paths';
import { SeedService } from './seed.service';

export const DEAL_SEED_FILE = 'growth-deal-2014.json';

/** Startup steps that run after the deal seed, in registration order (e.g. the demo history). */
export type AfterSeedStep = () => Promise<void>;

@Global()
@Module({ providers: [SeedService], exports: [SeedService] })
export class SeedModule implements OnApplicationBootstrap {
  private static readonly afterSeed: { name: string; step: (svc: SeedModule) => Promise<void> }[] = [];
  private readonly logger = new Logger('Seed');

  constructor(
    readonly seeds: SeedService,
    readonly config: AppConfig,
  ) {}

  /** Features register what they load at start (after the deal), e.g. the illustrative demo. */
  static registerStartupStep(name: string, step: (svc: SeedModule) => Promise<void>): void {
    if (!this.afterSeed.some((s) => s.name === name)) this.afterSeed.push({ name, step });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.SEED_ON_START) return;
    const res = await this.seeds.loadDeal(join(seedsDir(), DEAL_SEED_FILE));
    if (res.loaded) this.logger.log(`loaded the ${res.programme} deal (${res.rows} rows)`);
    await this.runStartupSteps();
  }

  async runStartupSteps(): Promise<void> {
    for (const s of SeedModule.afterSeed) await s.step(this);
  }
}
