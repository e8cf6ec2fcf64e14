import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor } from '../auth/actor';
import { CurrentActor } from '../auth/current-actor.decorator';
import { ANY_ROLE, Roles } from '../auth/roles.decorator';
import { IdPipe } from '../common/id.pipe';
import { CreateMilestoneDto, CreateProgrammeMilestoneDto, UpdateMilestoneDto } from './dto/milestone.dto';
import { MilestonesService } from './milestones.service';

const EXAMPLE = {
  id: 12,
  level: 'project',
  project: 'BRANSTON',
  kind: 'start_on_site',
  title: 'Start on site',
  baselineDate: '2016-10-03',
  forecastDate: '2016-11-17',
  actualDate: null,
  status: 'open',
  rag: {
    rag: 'amber',
    rule: 'milestones: forecast vs baseline: ...',
    numbers: { slipDays: 45 },
    explanation: 'forecast 2016-11-17 is 45 days after the baseline 2016-10-03 (1-90 days: amber)',
  },
  version: 2,
};

@ApiTags('milestones')
@Controller('api/programmes/:code')
export class MilestonesController {
  constructor(private readonly svc: MilestonesService) {}

  @Get('milestones')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    summary: 'Every milestone: the deal’s commitments (programme level) and each project’s, with RAG and why',
  })
  list(@Param('code') code: string) {
    return this.svc.list(code);
  }

  @Get('milestones/:id')
  @Roles(...ANY_ROLE)
  @ApiOkResponse({ schema: { example: EXAMPLE } })
  get(@Param('code') code: string, @Param('id', IdPipe) id: number) {
    return this.svc.get(code, id);
  }

  @Post('milestones')
  @Roles('programme_manager')
  @ApiOperation({
    summary: 'Add a programme-level milestone (a deal commitment); it may fall before the programme starts',
  })
  createProgramme(@Param('code') code: string, @Body() dto: CreateProgrammeMilestoneDto, @CurrentActor() actor: Actor) {
    return this.svc.create(code, null, dto, actor);
  }

  @Get('projects/:project/milestones')
  @Roles(...ANY_ROLE)
  listProject(@Param('code') code: string, @Param('project') project: string) {
    return this.svc.list(code, project);
  }

  @Post('projects/:project/milestones')
  @Roles('programme_manager')
  @ApiOkResponse({ schema: { example: EXAMPLE } })
  create(
    @Param('code') code: string,
    @Param('project') project: string,
    @Body() dto: CreateMilestoneDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.svc.create(code, project, dto, actor);
  }

  @Patch('milestones/:id')
  @Roles('programme_manager')
  @ApiOperation({
    summary:
      'Change forecast or actual dates, status or title (the baseline changes only by an approved change request)',
  })
  @ApiOkResponse({ schema: { example: EXAMPLE } })
  update(
    @Param('code') code: string,
    @Param('id', IdPipe) id: number,
    @Body() dto: UpdateMilestoneDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.svc.update(code, id, dto, actor);
  }
}
