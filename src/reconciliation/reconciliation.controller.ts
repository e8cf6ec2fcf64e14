import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import {
  ApiNotFoundResponse,
  ApiBadRequestResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Actor } from '../auth/actor';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Public } from '../auth/public.decorator';
import { csvAttachment, negotiate } from '../common/content-negotiation';
import { BREAKDOWN_EXAMPLE, BreakdownQuery, FormatQuery, RECONCILIATION_EXAMPLE } from './dto/reconciliation.dto';
import {
  breakdownCsv,
  csvFilename,
  presentBreakdown,
  presentReconciliation,
  reconciliationCsv,
} from './reconciliation-present';
import { ReconciliationService } from './reconciliation.service';

const CSV_EXAMPLE =
  'headline_code,check,comparison,label,status,unit,qualifier,stated,computed,variance,...\nB-LGF-TOTAL,allocations,against the allocations,...,unreconciled,pounds,exact,82300000.00,78100000.00,-4200000.00,...\n';

// The deal's approved figures and how they reconcile are public information.
@ApiTags('reconciliation')
@Controller('api/programmes/:code')
export class ReconciliationController {
  constructor(private readonly svc: ReconciliationService) {}

  @Get('breakdown')
  @Public()
  @ApiOperation({
    summary:
      'Allocations summed by any combination of source kind, commitment status, year, theme and project, with exact row and column totals',
  })
  @ApiParam({ name: 'code', example: 'SSLEP-GD-2014' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({
    content: {
      'application/json': { example: BREAKDOWN_EXAMPLE },
      'text/csv': {
        example: 'sourceKind,2015-16,unprofiled,total,allocation_ids\nLGF,0.00,34600000.00,34600000.00,4 5 6 7 14 18\n',
      },
    },
  })
  @ApiBadRequestResponse({ description: 'a `by` dimension that does not exist; the message lists the valid ones' })
  @ApiNotFoundResponse({ description: 'no programme with this code' })
  async breakdown(
    @Param('code') code: string,
    @Query() q: BreakdownQuery,
    @Headers('accept') accept: string | undefined,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const filter = { approval: q.approval ?? 'approved', includeWithdrawn: q.includeWithdrawn === 'true' };
    const r = await this.svc.breakdown(code, q.by ?? 'sourceKind', filter, actor.userId !== null);
    if (negotiate(q.format, accept, ['csv']) === 'json') return presentBreakdown(r);
    csvAttachment(reply, csvFilename(r.programme.code, 'breakdown', r.breakdown.by));
    return breakdownCsv(r);
  }

  @Get('reconciliation')
  @Public()
  @ApiOperation({
    summary:
      'Every headline figure against the allocations (or other headlines, counts, outputs) it covers: variance, status, reason and source words',
  })
  @ApiParam({ name: 'code', example: 'SSLEP-GD-2014' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({
    content: { 'application/json': { example: RECONCILIATION_EXAMPLE }, 'text/csv': { example: CSV_EXAMPLE } },
  })
  @ApiNotFoundResponse({ description: 'no programme with this code' })
  async reconciliation(
    @Param('code') code: string,
    @Query() q: FormatQuery,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const r = await this.svc.reconciliation(code);
    if (negotiate(q.format, accept, ['csv']) === 'json') return presentReconciliation(r);
    csvAttachment(reply, csvFilename(r.programme.code, 'reconciliation'));
    return reconciliationCsv(r);
  }
}
