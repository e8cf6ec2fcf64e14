import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { AllExceptionsFilter, HTML_NOT_FOUND } from './common/http-exception.filter';
import { notFoundPage } from './web/public/render';
import { AppConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { ENTITIES } from './entities';
import { FundingModule } from './funding/funding.module';
import { HeadlinesModule } from './headlines/headlines.module';
import { HealthModule } from './health/health.module';
import { OrganisationsModule } from './organisations/organisations.module';
import { PeriodsModule } from './periods/periods.module';
import { ProgrammesModule } from './programmes/programmes.module';
import { ProjectsModule } from './projects/projects.module';
import { ReconciliationModule } from './reconciliation/reconciliation.module';
import { ReturnsModule } from './returns/returns.module';
import { DealLoadingModule } from './deal-loading/deal-loading.module';
import { StartupService } from './startup.service';
import { ChangesModule } from './changes/changes.module';
import { SpendModule } from './spend/spend.module';
import { MilestonesModule } from './milestones/milestones.module';
import { OutputsModule } from './outputs/outputs.module';
import { RisksModule } from './risks/risks.module';
import { RagModule } from './rag/rag.module';
import { AuditTrailModule } from './audit/audit-trail.module';
import { DemoModule } from './demo/demo.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { OpenDataModule } from './open-data/open-data.module';
import { PartnerUpdatesModule } from './partner-updates/partner-updates.module';
import { GeneratorModule } from './generator/generator.module';
import { NationalReturnModule } from './national-return/national-return.module';
import { WebModule } from './web/web.module';

/** Feature modules; each owns one folder. */
export const FEATURE_MODULES = [
  OrganisationsModule,
  ProgrammesModule,
  ProjectsModule,
  FundingModule,
  HeadlinesModule,
  HealthModule,
  PeriodsModule,
  ReconciliationModule,
  ChangesModule,
  ReturnsModule,
  SpendModule,
  MilestonesModule,
  OutputsModule,
  RisksModule,
  RagModule,
  AuditTrailModule,
  DemoModule,
  AuthModule,
  DashboardModule,
  OpenDataModule,
  PartnerUpdatesModule,
  DealLoadingModule,
  GeneratorModule,
  NationalReturnModule,
  WebModule,
];

/** The composition root: every feature module, then the start-up (migrations, seed, demo). */
@Module({
  imports: [AppConfigModule, DatabaseModule.forRoot(ENTITIES), AuditModule, ...FEATURE_MODULES],
  providers: [
    { provide: APP_FILTER, useClass: AllExceptionsFilter },
    { provide: HTML_NOT_FOUND, useValue: notFoundPage },
    StartupService,
  ],
})
export class AppModule {}
