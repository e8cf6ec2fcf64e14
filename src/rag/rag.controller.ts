import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor } from '../auth/actor';
import { CurrentActor } from '../auth/current-actor.decorator';
import { ANY_ROLE, Roles } from '../auth/roles.decorator';
import { RagOverrideDto, RagThresholdsDto } from './rag.dto';
import { RagService } from './rag.service';

const EXAMPLE = {
  project: 'BRANSTON',
  finance: {
    rag: 'green',
    rule: 'finance: forecast for 2016-17 / baseline profile for 2016-17: ...',
    numbers: { forecast: '950000.00', baseline: '1000000.00', share: '95.0%' },
    explanation: 'forecast £950000.00 is 95.0% of the baseline £1000000.00 for 2016-17: at least 95%',
  },
  overall: {
    rag: 'amber',
    computed: 'amber',
    overridden: false,
    explanation: 'finance green, milestones amber, outputs none: worst is amber',
  },
};

@ApiTags('rag')
@Controller('api/programmes/:code')
export class RagController {
  constructor(private readonly svc: RagService) {}

  @Get('rag')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    summary:
      'Finance, milestone, output and overall RAG for every project, each with its rule, numbers and explanation',
  })
  programme(@Param('code') code: string) {
    return this.svc.programme(code);
  }

  @Get('rag/thresholds')
  @Roles(...ANY_ROLE)
  thresholds(@Param('code') code: string) {
    return this.svc.thresholds(code);
  }

  @Put('rag/thresholds')
  @Roles('admin')
  @ApiOperation({ summary: 'Change this programme’s RAG thresholds (percentages; days for milestones)' })
  setThresholds(@Param('code') code: string, @Body() dto: RagThresholdsDto, @CurrentActor() actor: Actor) {
    return this.svc.setThresholds(code, dto, actor);
  }

  @Get('projects/:project/rag')
  @Roles(...ANY_ROLE)
  @ApiOkResponse({ schema: { example: EXAMPLE } })
  project(@Param('code') code: string, @Param('project') project: string) {
    return this.svc.project(code, project);
  }

  @Put('projects/:project/rag-override')
  @Roles('programme_manager')
  @ApiOperation({ summary: 'Override the overall RAG with a written reason (rag: null clears it); audited' })
  override(
    @Param('code') code: string,
    @Param('project') project: string,
    @Body() dto: RagOverrideDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.svc.override(code, project, dto, actor);
  }
}
