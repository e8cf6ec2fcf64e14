import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor } from '../audit/actor';
import { CurrentActor } from '../auth/current-actor.decorator';
import { VersionQuery } from '../common/version-query';
import { CreateProjectDto, ProjectQuery, UpdateProjectDto } from './dto/project.dto';
import { ProjectsService } from './projects.service';

@ApiTags('projects')
@Controller('api/programmes/:code')
export class ProjectsController {
  constructor(private readonly svc: ProjectsService) {}

  @Get('projects')
  list(@Param('code') code: string, @Query() q: ProjectQuery) {
    return this.svc.list(code, q);
  }

  @Get('projects/:project')
  get(@Param('code') code: string, @Param('project') project: string) {
    return this.svc.get(code, project);
  }

  @Post('projects')
  create(@Param('code') code: string, @Body() dto: CreateProjectDto, @CurrentActor() actor: Actor) {
    return this.svc.create(code, dto, actor);
  }

  @Patch('projects/:project')
  update(@Param('code') code: string, @Param('project') project: string, @Body() dto: UpdateProjectDto, @CurrentActor() actor: Actor) {
    return this.svc.update(code, project, dto, actor);
  }

  @Delete('projects/:project')
  @HttpCode(204)
  remove(@Param('code') code: string, @Param('project') project: string, @Query() q: VersionQuery, @CurrentActor() actor: Actor) {
    return this.svc.remove(code, project, q.version, actor);
  }

  @Get('pools')
  pools(@Param('code') code: string) {
    return this.svc.pools(code);
  }
}
