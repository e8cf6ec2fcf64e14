import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor } from '../auth/actor';
import { Public } from '../auth/public.decorator';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Roles } from '../auth/roles.decorator';
import { VersionQuery } from '../common/version-query';
import { CreateOrganisationDto, OrganisationQuery, UpdateOrganisationDto } from './dto/organisation.dto';
import { OrganisationsService } from './organisations.service';

@ApiTags('organisations')
@Controller('api/organisations')
export class OrganisationsController {
  constructor(private readonly svc: OrganisationsService) {}

  @Get()
  @Public()
  list(@Query() q: OrganisationQuery) {
    return this.svc.list(q);
  }

  @Get(':code')
  @Public()
  get(@Param('code') code: string) {
    return this.svc.get(code);
  }

  @Post()
  @Roles('admin')
  create(@Body() dto: CreateOrganisationDto, @CurrentActor() actor: Actor) {
    return this.svc.create(dto, actor);
  }

  @Patch(':code')
  @Roles('admin')
  update(@Param('code') code: string, @Body() dto: UpdateOrganisationDto, @CurrentActor() actor: Actor) {
    return this.svc.update(code, dto, actor);
  }

  @Delete(':code')
  @HttpCode(204)
  @Roles('admin')
  remove(@Param('code') code: string, @Query() q: VersionQuery, @CurrentActor() actor: Actor) {
    return this.svc.remove(code, q.version, actor);
  }
}
