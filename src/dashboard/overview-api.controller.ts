import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/public.decorator';
import { DashboardService } from './dashboard.service';
import { presentOverview } from './page-json';

@ApiTags('dashboard')
@Controller('api/programmes/:code')
export class OverviewApiController {
  constructor(private readonly svc: DashboardService) {}

  @Get('overview')
  @Public()
  @ApiOperation({
    summary: 'The public overview as JSON: exactly the data the overview page renders (approved figures only).',
  })
  @ApiOkResponse({
    schema: {
      example: {
        programme: { code: 'SSLEP-GD-2014', reportingQuarter: '2015-16 Q1' },
        capital: '107200000.00',
        bySource: [{ code: 'LGF', label: 'Local Growth Fund award', amount: '34600000.00' }],
      },
    },
  })
  async overview(@Param('code') code: string) {
    // The JSON needs no section HTML: none is built.
    return presentOverview(await this.svc.overview(code, 'overview', { view: false }));
  }
}
