import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Actor } from '../auth/actor';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Public } from '../auth/public.decorator';
import { NationalBreakdownQuery } from './dto/reconciliation.dto';
import { breakdownCsv, csvFilename, presentNationalBreakdown } from './reconciliation-present';
import { ReconciliationService } from './reconciliation.service';
import { csvAttachment, negotiate } from '../common/content-negotiation';

// Approved money is public nationally as it is per programme; drafts need a signed-in caller.
@ApiTags('reconciliation')
@Controller('api/national')
export class NationalBreakdownController {
  constructor(private readonly svc: ReconciliationService) {}

  @Get('breakdown')
  @Public()
  @ApiOperation({
    summary:
      "Every programme's allocations summed by source kind, commitment status and year, with exact row and column totals",
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({
    content: {
      'application/json': {
        example: {
          scope: 'national',
          filters: { approval: 'approved', includeWithdrawn: false },
          unit: 'pounds',
          by: ['sourceKind', 'year'],
          columns: ['2015-16', 'unprofiled'],
          rows: [{ key: { sourceKind: 'LGF' }, cells: { '2015-16': '0.00', unprofiled: '34600000.00' } }],
          grandTotal: '34600000.00',
        },
      },
      'text/csv': { example: 'sourceKind,2015-16,unprofiled,total\nLGF,0.00,34600000.00,34600000.00\n' },
    },
  })
  @ApiBadRequestResponse({ description: 'a `by` dimension that is not national; the message lists the valid ones' })
  async breakdown(
    @Query() q: NationalBreakdownQuery,
    @Headers('accept') accept: string | undefined,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const filter = { approval: q.approval ?? 'approved', includeWithdrawn: q.includeWithdrawn === 'true' };
    const r = await this.svc.nationalBreakdown(q.by ?? 'sourceKind,year', filter, actor.userId !== null);
    if (negotiate(q.format, accept, ['csv']) === 'json') return presentNationalBreakdown(r);
    csvAttachment(reply, csvFilename('national', 'breakdown', r.breakdown.by));
    return breakdownCsv(r, false);
  }
}
