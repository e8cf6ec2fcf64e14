import { Body, Controller, Get, Param, Post, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor } from '../auth/actor';
import { CurrentActor } from '../auth/current-actor.decorator';
import { ANY_ROLE, Roles } from '../auth/roles.decorator';
import { CreateAdjustmentDto, CreateRepaymentDto, SetActualDto, SetForecastDto } from './dto/spend.dto';
import { SpendService } from './spend.service';

const LINE_EXAMPLE = {
  id: 41,
  project: 'SWAR',
  sourceKind: 'LGF',
  quarter: '2016-17 Q4',
  baseline: '700000.00',
  forecast: '650000.00',
  actual: '612345.67',
  slippage: '-50000.00',
  locked: false,
  illustrative: false,
  version: 3,
};

@ApiTags('spend')
@Controller('api/programmes/:code')
export class SpendController {
  constructor(private readonly svc: SpendService) {}

  @Get('spend')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    summary:
      'Spend to date, forecasts, slippage and variance to the last return: per project × source, per project, per source and for the programme',
  })
  @ApiOkResponse({
    schema: {
      example: {
        reportingQuarter: '2016-17 Q4',
        reportingYear: '2016-17',
        lastReturn: {
          quarter: '2016-17 Q3',
          version: 1,
          varianceAvailable: false,
          reason: 'the 2016-17 Q3 return (version 1) holds no finance lines to compare with',
        },
        programme: {
          spendToDate: '12345678.90',
          forecastYear: '9000000.00',
          slippage: '-250000.00',
          varianceToLastReturn: null,
        },
      },
    },
  })
  summary(@Param('code') code: string) {
    return this.svc.summary(code);
  }

  @Get('spend/adjustments')
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: 'Prior-period adjustments: corrections to submitted quarters, recorded in a later quarter' })
  adjustments(@Param('code') code: string) {
    return this.svc.adjustments(code);
  }

  @Get('projects/:project/spend')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    summary: 'One project’s quarterly profile (baseline, latest forecast, actual), adjustments and derived figures',
  })
  project(@Param('code') code: string, @Param('project') project: string) {
    return this.svc.project(code, project);
  }

  @Put('projects/:project/spend/forecast')
  @Roles('programme_manager')
  @ApiOperation({ summary: 'Set the latest forecast for one quarter (not for a locked quarter)' })
  @ApiOkResponse({ schema: { example: LINE_EXAMPLE } })
  forecast(
    @Param('code') code: string,
    @Param('project') project: string,
    @Body() dto: SetForecastDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.svc.setForecast(code, project, dto, actor);
  }

  @Put('projects/:project/spend/actual')
  @Roles('finance')
  @ApiOperation({ summary: 'Record the actual for a quarter up to the reporting quarter (future → 422, locked → 409)' })
  @ApiOkResponse({ schema: { example: LINE_EXAMPLE } })
  actual(
    @Param('code') code: string,
    @Param('project') project: string,
    @Body() dto: SetActualDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.svc.setActual(code, project, dto, actor);
  }

  @Post('projects/:project/spend/adjustments')
  @Roles('finance')
  @ApiOperation({ summary: 'Record a prior-period adjustment to a locked quarter, in the current reporting quarter' })
  @ApiOkResponse({
    schema: {
      example: {
        id: 1,
        kind: 'prior_period_adjustment',
        project: 'SWAR',
        sourceKind: 'LGF',
        recordedInQuarter: '2016-17 Q4',
        correctsQuarter: '2016-17 Q2',
        amount: '-1250.00',
        reason: 'Invoice 4471 posted twice',
        recordedBy: 'finance@sslep',
        recordedAt: '2017-04-12T10:00:00.000Z',
        illustrative: false,
      },
    },
  })
  adjust(
    @Param('code') code: string,
    @Param('project') project: string,
    @Body() dto: CreateAdjustmentDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.svc.addAdjustment(code, project, dto, actor);
  }

  @Post('projects/:project/spend/repayments')
  @Roles('finance')
  @ApiOperation({
    summary:
      'Record a promoter’s repayment of spent money: a negative spend line with its reference, in the reporting quarter',
  })
  repay(
    @Param('code') code: string,
    @Param('project') project: string,
    @Body() dto: CreateRepaymentDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.svc.addRepayment(code, project, dto, actor);
  }
}
