import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor } from '../auth/actor';
import { CurrentActor } from '../auth/current-actor.decorator';
import { ANY_ROLE, Roles } from '../auth/roles.decorator';
import { IdPipe } from '../common/id.pipe';
import { CloseRiskDto, CreateRiskDto, UpdateRiskDto } from './dto/risk.dto';
import { RisksService } from './risks.service';

const RISK = {
  id: 4,
  description: 'Ground remediation costs exceed the estimate',
  likelihood: 3,
  impact: 4,
  score: 12,
  mitigation: 'Contingency of 10 % held; site investigation before contract award',
  owner: 'Project director, Stoke-on-Trent City Council',
  status: 'open',
  raisedIn: '2016-17 Q4',
  closedIn: null,
  version: 1,
};

@ApiTags('risks')
@Controller('api')
export class RisksController {
  constructor(private readonly svc: RisksService) {}

  @Get('programmes/:code/projects/:project/risks')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    summary:
      'A project’s risk register: open risks first, highest score (likelihood × impact, each 1–5) first; then closed ones',
  })
  @ApiOkResponse({
    schema: {
      example: {
        project: 'ETRURIA',
        risks: [RISK],
      },
    },
  })
  list(@Param('code') code: string, @Param('project') project: string) {
    return this.svc.list(code, project);
  }

  @Post('programmes/:code/projects/:project/risks')
  @Roles('programme_manager')
  @ApiOperation({
    summary:
      'Add a risk to a project’s register, raised in the reporting quarter (programme managers: their own projects)',
  })
  @ApiOkResponse({ schema: { example: RISK } })
  create(
    @Param('code') code: string,
    @Param('project') project: string,
    @Body() dto: CreateRiskDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.svc.create(code, project, dto, actor);
  }

  @Patch('programmes/:code/projects/:project/risks/:id')
  @Roles('programme_manager')
  @ApiOperation({
    summary:
      'Change an open risk: the fields given replace the current ones (a closed risk is history: 422 RISK_CLOSED); a stale version is 409',
  })
  @ApiOkResponse({ schema: { example: { ...RISK, likelihood: 4, score: 16, version: 2 } } })
  update(
    @Param('code') code: string,
    @Param('project') project: string,
    @Param('id', IdPipe) id: number,
    @Body() dto: UpdateRiskDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.svc.update(code, project, id, dto, actor);
  }

  @Post('programmes/:code/projects/:project/risks/:id/close')
  @HttpCode(200)
  @Roles('programme_manager')
  @ApiOperation({ summary: 'Close an open risk in the reporting quarter; it stays in the register as history' })
  @ApiOkResponse({ schema: { example: { ...RISK, status: 'closed', closedIn: '2017-18 Q1', version: 2 } } })
  close(
    @Param('code') code: string,
    @Param('project') project: string,
    @Param('id', IdPipe) id: number,
    @Body() dto: CloseRiskDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.svc.close(code, project, id, dto.version, actor);
  }
}
