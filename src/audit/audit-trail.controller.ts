import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ANY_ROLE, Roles } from '../auth/roles.decorator';
import { PageQuery } from '../common/pagination';
import { AuditTrailService } from './audit-trail.service';

const EXAMPLE = {
  items: [
    {
      id: 91,
      at: '2017-04-12T10:00:00.000Z',
      actor: 'finance@sslep',
      project: 'SWAR',
      entity: 'spend_profile',
      entityId: '41',
      action: 'set_actual',
      before: { actual: null },
      after: { actual: '612345.67' },
      meta: null,
    },
  ],
  total: 1,
  limit: 100,
  offset: 0,
};

@ApiTags('audit')
@Controller('api/programmes/:code')
export class AuditTrailController {
  constructor(private readonly svc: AuditTrailService) {}

  @Get('audit')
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: 'Every write to the programme, newest first: who, when, what, before and after' })
  @ApiOkResponse({ schema: { example: EXAMPLE } })
  programme(@Param('code') code: string, @Query() q: PageQuery) {
    return this.svc.list(code, undefined, q);
  }

  @Get('projects/:project/audit')
  @Roles(...ANY_ROLE)
  @ApiOkResponse({ schema: { example: EXAMPLE } })
  project(@Param('code') code: string, @Param('project') project: string, @Query() q: PageQuery) {
    return this.svc.list(code, project, q);
  }
}
