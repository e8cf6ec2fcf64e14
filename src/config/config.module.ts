import { Global, Module } from '@nestjs/common';
import { AppConfig, loadConfig } from './config';
import { TlsPolicy, tlsPolicy } from './tls';

/** Provides the validated AppConfig and the TLS policy it implies; the app refuses to start when either is wrong. */
@Global()
@Module({
  providers: [
    { provide: AppConfig, useFactory: () => loadConfig() },
    { provide: TlsPolicy, inject: [AppConfig], useFactory: (cfg: AppConfig) => tlsPolicy(cfg) },
  ],
  exports: [AppConfig, TlsPolicy],
})
export class AppConfigModule {}
