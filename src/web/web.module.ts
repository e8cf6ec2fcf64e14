import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { ChangesModule } from '../changes/changes.module';
import { DashboardModule } from '../dashboard/dashboard.module';
import { PartnerUpdatesModule } from '../partner-updates/partner-updates.module';
import { PeriodsModule } from '../periods/periods.module';
import { QuarterlyUpdatesModule } from '../quarterly-updates/quarterly-updates.module';
import { ReturnsModule } from '../returns/returns.module';
import { UsersController } from './admin/users.controller';
import { AssetsController } from './assets/assets.controller';
import { AuditController } from './audit/audit.controller';
import { AuditPagesService } from './audit/audit-pages.service';
import { ChangeFormsController } from './changes/change-forms.controller';
import { ChangePagesService } from './changes/change-pages.service';
import { ChangesPagesController } from './changes/changes.controller';
import { ConfirmSpendController } from './confirm-spend/confirm-spend.controller';
import { CsrfGuard } from './csrf.guard';
import { HomeController } from './home/home.controller';
import { NoticesController } from './notices/notices.controller';
import { NoticesService } from './notices/notices.service';
import { Pages } from './pages.service';
import { BriefingPdfService } from './public/briefing-pdf.service';
import { PublicPagesController } from './public/public-pages.controller';
import { PartnerWorkbookController } from './partner-workbook/partner-workbook.controller';
import { QuarterController } from './quarter/quarter.controller';
import { ReturnsPagesController } from './returns/returns.controller';
import { UpdatePartsController } from './quarter/update-parts.controller';
import { SignInController } from './sign-in/sign-in.controller';
import { WebExceptionFilter } from './web-exception.filter';

/**
 * The HTML pages: the staff pages under /manage and the public dashboard's pages, the top layer,
 * calling the features' services and rendering through one template engine.
 */
@Module({
  imports: [
    AuditModule,
    AuthModule,
    DashboardModule,
    ChangesModule,
    PeriodsModule,
    QuarterlyUpdatesModule,
    ReturnsModule,
    PartnerUpdatesModule,
  ],
  controllers: [
    AssetsController,
    SignInController,
    HomeController,
    NoticesController,
    UsersController,
    AuditController,
    QuarterController,
    ReturnsPagesController,
    UpdatePartsController,
    PartnerWorkbookController,
    ChangeFormsController,
    ChangesPagesController,
    PublicPagesController,
    ConfirmSpendController,
  ],
  providers: [
    Pages,
    NoticesService,
    AuditPagesService,
    ChangePagesService,
    CsrfGuard,
    WebExceptionFilter,
    BriefingPdfService,
  ],
})
export class WebModule {}
