import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor } from '../auth/actor';
import { Public } from '../auth/public.decorator';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Roles } from '../auth/roles.decorator';
import { VersionQuery } from '../common/version-query';
import { CreateHeadlineDto, HeadlineQuery, UpdateHeadlineDto } from './dto/headline.dto';
import { HeadlinesService } from './headlines.service';

@ApiTags('headline figures')
@Controller('api/programmes/:code/headlines')
export class HeadlinesController {
  constructor(private readonly svc: HeadlinesService) {}

  @Get()
  @Public()
  list(@Param('code') code: string, @Query() q: HeadlineQuery) {
    return this.svc.list(code, q);
  }

  @Get(':headline')
  @Public()
  get(@Param('code') code: string, @Param('headline') headline: string) {
    return this.svc.get(code, headline);
  }

  @Post()
  @Roles('admin')
  create(@Param('code') code: string, @Body() dto: CreateHeadlineDto, @CurrentActor() actor: Actor) {
    return this.svc.create(code, dto, actor);
  }

  @Patch(':headline')
  @Roles('admin')
  update(
    @Param('code') code: string,
    @Param('headline') headline: string,
    @Body() dto: UpdateHeadlineDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.svc.update(code, headline, dto, actor);
  }

  @Delete(':headline')
  @HttpCode(204)
  @Roles('admin')
  remove(
    @Param('code') code: string,
    @Param('headline') headline: string,
    @Query() q: VersionQuery,
    @CurrentActor() actor: Actor,
  ) {
    return this.svc.remove(code, headline, q.version, actor);
  }
}
