import { Body, Controller, Get, Headers, Param, Post, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { PassThrough } from 'node:stream';
import { Actor } from '../auth/actor';
import { CurrentActor } from '../auth/current-actor.decorator';
import { ANY_ROLE, Roles } from '../auth/roles.decorator';
import { IdPipe } from '../common/id.pipe';
import { negotiate, XLSX_TYPE } from '../common/content-negotiation';
import { ReturnQuery, SubmitReturnDto, VersionFormatQuery } from './dto/return.dto';
import { RETURN_ROLES } from './return-roles';
import { ReturnExport, ReturnsService } from './returns.service';

class VersionPipe extends IdPipe {
  protected readonly field = 'version';
}

/** Sends an export: frozen bytes as they are, a draft streamed as it is written. */
function send(reply: FastifyReply, e: ReturnExport, type: string): StreamableFile {
  reply.header('x-content-sha256', e.contentHash);
  reply.header('x-return-status', e.status);
  reply.header('x-return-version', String(e.version));
  if (e.xlsxSha256 && type === XLSX_TYPE) reply.header('x-xlsx-sha256', e.xlsxSha256);
  const disposition = `attachment; filename="${e.filename}"`;
  if (e.bytes) return new StreamableFile(e.bytes, { type, disposition, length: e.bytes.length });
  const out = new PassThrough();
  e.write!(out).catch((err: unknown) => out.destroy(err as Error));
  return new StreamableFile(out, { type, disposition });
}

@ApiTags('returns')
@Controller('api/programmes/:code/returns')
export class ReturnsController {
  constructor(private readonly svc: ReturnsService) {}

  @Get()
  @Roles(...ANY_ROLE)
  list(@Param('code') code: string) {
    return this.svc.list(code);
  }

  @Get(':quarter')
  @Roles(...RETURN_ROLES.get)
  @ApiProduces('application/json', XLSX_TYPE)
  async get(
    @Param('code') code: string,
    @Param('quarter') quarter: string,
    @Query() q: ReturnQuery,
    @Headers('accept') accept: string | undefined,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    if (negotiate(q.format, accept, ['xlsx']) === 'xlsx')
      return send(reply, await this.svc.exportXlsx(code, quarter, q.live === 'true', actor), XLSX_TYPE);
    return this.svc.view(code, quarter, q.live === 'true', actor);
  }

  @Get(':quarter/versions/:version')
  @Roles(...ANY_ROLE)
  @ApiProduces('application/json', XLSX_TYPE)
  async version(
    @Param('code') code: string,
    @Param('quarter') quarter: string,
    @Param('version', VersionPipe) version: number,
    @Query() q: VersionFormatQuery,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const xlsx = negotiate(q.format, accept, ['xlsx']) === 'xlsx';
    return send(
      reply,
      await this.svc.version(code, quarter, version, xlsx ? 'xlsx' : 'json'),
      xlsx ? XLSX_TYPE : 'application/json; charset=utf-8',
    );
  }

  @Post(':quarter/submit')
  @Roles(...RETURN_ROLES.submit)
  submit(
    @Param('code') code: string,
    @Param('quarter') quarter: string,
    @Body() dto: SubmitReturnDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.svc.submit(code, quarter, dto, actor);
  }
}
