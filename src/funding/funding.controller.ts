import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor } from '../auth/actor';
import { Public } from '../auth/public.decorator';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Roles } from '../auth/roles.decorator';
import { IdPipe } from '../common/id.pipe';
import { VersionQuery } from '../common/version-query';
import { AllocationQuery, CreateAllocationDto, UpdateAllocationDto } from './dto/allocation.dto';
import { FundingService } from './funding.service';

@ApiTags('funding')
@Controller('api')
export class FundingController {
  constructor(private readonly svc: FundingService) {}

  @Get('source-kinds')
  @Public()
  sourceKinds() {
    return this.svc.sourceKinds();
  }

  @Get('programmes/:code/allocations')
  @Public()
  list(@Param('code') code: string, @Query() q: AllocationQuery, @CurrentActor() actor: Actor) {
    return this.svc.list(code, q, actor);
  }

  @Get('programmes/:code/allocations/:id')
  @Public()
  get(@Param('code') code: string, @Param('id', IdPipe) id: number, @CurrentActor() actor: Actor) {
    return this.svc.get(code, id, actor);
  }

  @Post('programmes/:code/allocations')
  @Roles('finance', 'programme_manager')
  create(@Param('code') code: string, @Body() dto: CreateAllocationDto, @CurrentActor() actor: Actor) {
    return this.svc.create(code, dto, actor);
  }

  @Patch('programmes/:code/allocations/:id')
  @Roles('finance', 'programme_manager')
  update(
    @Param('code') code: string,
    @Param('id', IdPipe) id: number,
    @Body() dto: UpdateAllocationDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.svc.update(code, id, dto, actor);
  }

  @Delete('programmes/:code/allocations/:id')
  @HttpCode(204)
  @Roles('finance', 'programme_manager')
  remove(
    @Param('code') code: string,
    @Param('id', IdPipe) id: number,
    @Query() q: VersionQuery,
    @CurrentActor() actor: Actor,
  ) {
    return this.svc.remove(code, id, q.version, actor);
  }
}
