import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ANY_ROLE, Roles } from '../auth/roles.decorator';
import { RisksService } from './risks.service';

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
        risks: [
          {
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
          },
        ],
      },
    },
  })
  list(@Param('code') code: string, @Param('project') project: string) {
    return this.svc.list(code, project);
  }
}
