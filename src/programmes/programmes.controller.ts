import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor } from '../auth/actor';
import { Public } from '../auth/public.decorator';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Roles } from '../auth/roles.decorator';
import { PageQuery } from '../common/pagination';
import { VersionQuery } from '../common/version-query';
import { CreateProgrammeDto, CreateThemeDto, UpdateProgrammeDto, UpdateThemeDto } from './dto/programme.dto';
import { ProgrammesService } from './programmes.service';

@ApiTags('programmes')
@Controller('api/programmes')
export class ProgrammesController {
  constructor(private readonly svc: ProgrammesService) {}

  @Get()
  @Public()
  list(@Query() q: PageQuery) {
    return this.svc.list(q);
  }

  @Get(':code')
  @Public()
  get(@Param('code') code: string) {
    return this.svc.get(code);
  }

  @Post()
  @Roles('admin')
  create(@Body() dto: CreateProgrammeDto, @CurrentActor() actor: Actor) {
    return this.svc.create(dto, actor);
  }

  @Patch(':code')
  @Roles('admin')
  update(@Param('code') code: string, @Body() dto: UpdateProgrammeDto, @CurrentActor() actor: Actor) {
    return this.svc.update(code, dto, actor);
  }

  @Get(':code/themes')
  @Public()
  themes(@Param('code') code: string) {
    return this.svc.listThemes(code);
  }

  @Get(':code/themes/:theme')
  @Public()
  theme(@Param('code') code: string, @Param('theme') theme: string) {
    return this.svc.getTheme(code, theme);
  }

  @Post(':code/themes')
  @Roles('admin')
  createTheme(@Param('code') code: string, @Body() dto: CreateThemeDto, @CurrentActor() actor: Actor) {
    return this.svc.createTheme(code, dto, actor);
  }

  @Patch(':code/themes/:theme')
  @Roles('admin')
  updateTheme(
    @Param('code') code: string,
    @Param('theme') theme: string,
    @Body() dto: UpdateThemeDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.svc.updateTheme(code, theme, dto, actor);
  }

  @Delete(':code/themes/:theme')
  @HttpCode(204)
  @Roles('admin')
  removeTheme(
    @Param('code') code: string,
    @Param('theme') theme: string,
    @Query() q: VersionQuery,
    @CurrentActor() actor: Actor,
  ) {
    return this.svc.removeTheme(code, theme, q.version, actor);
  }
}
