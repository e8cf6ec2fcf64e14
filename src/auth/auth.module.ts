import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '../config/config';
import { AuthThrottle } from './auth-throttle';
import { AccountsService } from './accounts.service';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { WriteThrottlerGuard } from './write-throttler.guard';

/** Users, tokens and the global guards: access first (so writes are throttled per user), then the write throttle. */
@Module({
  imports: [
    AuditModule,
    ThrottlerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (cfg: AppConfig) => ({ throttlers: [{ name: 'writes', ttl: 60_000, limit: cfg.WRITE_RATE_LIMIT }] }),
    }),
  ],
  controllers: [AuthController],
  providers: [
    AuthService,
    AuthThrottle,
    AccountsService,
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_GUARD, useClass: WriteThrottlerGuard },
  ],
  exports: [AuthService, AuthThrottle, AccountsService],
})
export class AuthModule {}
