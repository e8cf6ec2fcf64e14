import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor } from '../auth/actor';
import { CurrentActor } from '../auth/current-actor.decorator';
import { ANY_ROLE, Roles } from '../auth/roles.decorator';
import { IdPipe } from '../common/id.pipe';
import { ChangeRequestsService } from './change-requests.service';
import {
  ChangeRequestQuery,
  CreateChangeRequestDto,
  RejectDto,
  StepDto,
  UpdateChangeRequestDto,
} from './dto/change-request.dto';
import { EnvelopeService } from './envelope.service';

class NumberPipe extends IdPipe {
  protected readonly field = 'number';
}

const BASE = 'programmes/:code/change-requests';

@ApiTags('change requests')
@Controller('api')
export class ChangeRequestsController {
  constructor(
    private readonly svc: ChangeRequestsService,
    private readonly envelope: EnvelopeService,
  ) {}

  @Get('change-request-kinds')
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: 'The kinds of change request this installation knows' })
  kinds() {
    return this.svc.kinds();
  }

  @Get(BASE)
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: 'Change requests, newest first (filter by state, kind, project)' })
  list(@Param('code') code: string, @Query() q: ChangeRequestQuery) {
    return this.svc.list(code, q);
  }

  @Post(BASE)
  @Roles('programme_manager', 'finance')
  @ApiOperation({ summary: 'Draft a change request (nothing moves until it is approved)' })
  create(@Param('code') code: string, @Body() dto: CreateChangeRequestDto, @CurrentActor() actor: Actor) {
    return this.svc.create(code, dto, actor);
  }

  @Get(`${BASE}/:number`)
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: 'One change request, in plain English, with what its approval changed' })
  get(@Param('code') code: string, @Param('number', NumberPipe) n: number) {
    return this.svc.get(code, n);
  }

  @Patch(`${BASE}/:number`)
  @Roles('programme_manager', 'finance')
  @ApiOperation({ summary: 'Edit a draft (send the version you read)' })
  update(
    @Param('code') code: string,
    @Param('number', NumberPipe) n: number,
    @Body() dto: UpdateChangeRequestDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.svc.update(code, n, dto, actor);
  }

  @Post(`${BASE}/:number/submit`)
  @HttpCode(200)
  @Roles('programme_manager', 'finance')
  @ApiOperation({ summary: 'Submit a draft for decision (re-checked against current data)' })
  submit(
    @Param('code') code: string,
    @Param('number', NumberPipe) n: number,
    @Body() dto: StepDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.svc.submit(code, n, dto, actor);
  }

  @Post(`${BASE}/:number/approve`)
  @HttpCode(200)
  @Roles('approver')
  @ApiOperation({ summary: 'Approve and apply, in one transaction; refused over the envelope or by the submitter' })
  approve(
    @Param('code') code: string,
    @Param('number', NumberPipe) n: number,
    @Body() dto: StepDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.svc.approve(code, n, dto, actor);
  }

  @Post(`${BASE}/:number/reject`)
  @HttpCode(200)
  @Roles('approver')
  @ApiOperation({ summary: 'Reject with a reason; nothing moves' })
  reject(
    @Param('code') code: string,
    @Param('number', NumberPipe) n: number,
    @Body() dto: RejectDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.svc.reject(code, n, dto, actor);
  }

  @Post(`${BASE}/:number/withdraw`)
  @HttpCode(200)
  @Roles('programme_manager', 'finance')
  @ApiOperation({ summary: 'Withdraw a draft or submitted change before it is decided' })
  withdraw(
    @Param('code') code: string,
    @Param('number', NumberPipe) n: number,
    @Body() dto: StepDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.svc.withdraw(code, n, dto, actor);
  }

  @Get('programmes/:code/envelope')
  @Roles(...ANY_ROLE)
  @ApiOperation({ summary: 'Per source kind: the approved envelope, the approved total and the headroom' })
  getEnvelope(@Param('code') code: string) {
    return this.envelope.get(code);
  }
}
