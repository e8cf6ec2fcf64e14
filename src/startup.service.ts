import { Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { seedsDir } from './common/paths';
import { AppConfig } from './config/config';
import { runMigrations } from './database/connect';
import { DEAL_SEED_FILE } from './deal-loading/deal-loading.module';
import { SeedService } from './deal-loading/seed.service';
import { DemoService } from './demo/demo.service';

/**
 * What happens when the app (or a CLI command) starts, in this order and nowhere else: the
 * schema is brought up to date before anything reads it; then, when configured, the 2014 deal
 * is loaded and after it the illustrative demo history.
 */
@Injectable()
export class StartupService implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger('Startup');

  constructor(
    private readonly ds: DataSource,
    private readonly config: AppConfig,
    private readonly seeds: SeedService,
    private readonly demo: DemoService,
  ) {}

  async onModuleInit(): Promise<void> {
    await runMigrations(this.ds);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.SEED_ON_START) return;
    const res = await this.seeds.loadDeal(join(seedsDir(), DEAL_SEED_FILE));
    if (res.loaded) this.logger.log(`loaded the ${res.programme} deal (${res.rows} rows)`);
    await this.loadDemo();
  }

  /** The illustrative delivery history, when DEMO_DATA is on (it needs the 2014 deal loaded). */
  async loadDemo(): Promise<void> {
    if (this.config.DEMO_DATA) await this.demo.load();
  }
}
