import { Global, Module } from '@nestjs/common';
import { AppConfig, loadConfig } from './config';

/** Provides the validated AppConfig; the app refuses to start when it is wrong. */
@Global()
@Module({
  providers: [{ provide: AppConfig, useFactory: () => loadConfig() }],
  exports: [AppConfig],
})
export class AppConfigModule {}
