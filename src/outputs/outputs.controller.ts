import { Body, Controller, Get, Param, Patch, Post, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor } from '../auth/actor';
import { CurrentActor } from '../auth/current-actor.decorator';
import { ANY_ROLE, Roles } from '../auth/roles.decorator';
import { IdPipe } from '../common/id.pipe';
import { CreateMetricDto, CreateOutputActualDto, SetOutputPlanDto, UpdateOutputActualDto } from './dto/output.dto';
import { OutputsService } from './outputs.service';

const CLAIM_EXAMPLE = {
  id: 7,
  project: 'LICHFIELD',
  metric: 'JOBS_CREATED',
  quarter: '2016-17 Q4',
  value: 35,
  unit: 'count',
  claimKey: 'EMPLOYER:JCB',
  evidence: 'Payroll extract',
  doubleClaim: true,
  sharedWith: ['BERICOTE'],
  illustrative: false,
  recordedBy: 'pm@sslep',
  version: 1,
};

@ApiTags('outputs')
@Controller('api')
export class OutputsController {
  constructor(private readonly svc: OutputsService) {}

  @Get('output-metrics')
  @Roles(...ANY_ROLE)
  @ApiOkResponse({
    schema: {
      example: [
        {
          code: 'ROAD_NEW',
          name: 'New road built',
          unit: 'km',
          kind: 'per_period',
          storedUnit: 'metres',
          scale: 1000,
          core: true,
        },
      ],
    },
  })
  metrics() {
    return this.svc.metrics();
  }

  @Post('output-metrics')
  @Roles('programme_manager')
  @ApiOperation({ summary: 'Add a metric to the dictionary (unit: count, km, ha, m2 or gbp)' })
  createMetric(@Body() dto: CreateMetricDto, @CurrentActor() actor: Actor) {
    return this.svc.createMetric(dto, actor);
  }

  @Get('programmes/:code/outputs')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    summary:
      'Per metric: programme target (with provenance), project targets and forecasts, cumulative claims with double claims counted once',
  })
  programme(@Param('code') code: string) {
    return this.svc.programme(code);
  }

  @Put('programmes/:code/outputs/:metric')
  @Roles('programme_manager')
  @ApiOperation({ summary: 'Set a programme-level target (once; later only by an approved re-baseline)' })
  setProgrammeTarget(
    @Param('code') code: string,
    @Param('metric') metric: string,
    @Body() dto: SetOutputPlanDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.svc.setPlan(code, null, metric, dto, actor);
  }

  @Get('programmes/:code/projects/:project/outputs')
  @Roles(...ANY_ROLE)
  project(@Param('code') code: string, @Param('project') project: string) {
    return this.svc.project(code, project);
  }

  @Put('programmes/:code/projects/:project/outputs/:metric')
  @Roles('programme_manager')
  @ApiOperation({ summary: 'Set a project’s target (once) and its latest forecast of the final total' })
  @ApiOkResponse({
    schema: {
      example: {
        id: 3,
        level: 'project',
        project: 'SWAR',
        metric: 'ROAD_NEW',
        unit: 'km',
        target: '4.200',
        forecast: '4.350',
        version: 2,
      },
    },
  })
  setPlan(
    @Param('code') code: string,
    @Param('project') project: string,
    @Param('metric') metric: string,
    @Body() dto: SetOutputPlanDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.svc.setPlan(code, project, metric, dto, actor);
  }

  @Post('programmes/:code/projects/:project/outputs/:metric/actuals')
  @Roles('programme_manager')
  @ApiOperation({ summary: 'Claim what the project achieved in a quarter, with evidence and a claim key' })
  @ApiOkResponse({ schema: { example: CLAIM_EXAMPLE } })
  addActual(
    @Param('code') code: string,
    @Param('project') project: string,
    @Param('metric') metric: string,
    @Body() dto: CreateOutputActualDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.svc.addActual(code, project, metric, dto, actor);
  }

  @Patch('programmes/:code/output-actuals/:id')
  @Roles('programme_manager')
  @ApiOkResponse({ schema: { example: CLAIM_EXAMPLE } })
  updateActual(
    @Param('code') code: string,
    @Param('id', IdPipe) id: number,
    @Body() dto: UpdateOutputActualDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.svc.updateActual(code, id, dto, actor);
  }
}
