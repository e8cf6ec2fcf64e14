import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor } from '../auth/actor';
import { Public } from '../auth/public.decorator';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Roles } from '../auth/roles.decorator';
import { VersionQuery } from '../common/version-query';
import { CreatePoolDto, CreateProjectDto, ProjectQuery, UpdateProjectDto } from './dto/project.dto';
import { ProjectsService } from './projects.service';

@ApiTags('projects')
@Controller('api/programmes/:code')
export class ProjectsController {
  constructor(private readonly svc: ProjectsService) {}

  @Get('projects')
  @Public()
  list(@Param('code') code: string, @Query() q: ProjectQuery) {
    return this.svc.list(code, q);
  }

  @Get('projects/:project')
  @Public()
  get(@Param('code') code: string, @Param('project') project: string) {
    return this.svc.get(code, project);
  }

  @Post('projects')
  @Roles('admin')
  create(@Param('code') code: string, @Body() dto: CreateProjectDto, @CurrentActor() actor: Actor) {
    return this.svc.create(code, dto, actor);
  }

  @Patch('projects/:project')
  @Roles('admin', 'programme_manager')
  update(
    @Param('code') code: string,
    @Param('project') project: string,
    @Body() dto: UpdateProjectDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.svc.update(code, project, dto, actor);
  }

  @Delete('projects/:project')
  @HttpCode(204)
  @Roles('admin')
  remove(
    @Param('code') code: string,
    @Param('project') project: string,
    @Query() q: VersionQuery,
    @CurrentActor() actor: Actor,
  ) {
    return this.svc.remove(code, project, q.version, actor);
  }

  @Get('pools')
  @Public()
  pools(@Param('code') code: string) {
    return this.svc.pools(code);
  }

  @Post('pools')
  @Roles('admin')
  createPool(@Param('code') code: string, @Body() dto: CreatePoolDto, @CurrentActor() actor: Actor) {
    return this.svc.createPool(code, dto, actor);
  }
}
