import { Body, Controller, Post } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor } from '../auth/actor';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Roles } from '../auth/roles.decorator';
import { DEAL_SEED_SCHEMA } from './seed-schema';
import { SeedService } from './seed.service';

/**
 * A new deal through the API: the same JSON as a seed file (seeds/*.json), checked by the same
 * schema and written by the same loader in one audited transaction, as the deal's approved
 * baseline (programme, themes, projects, pools, allocations, envelope, headlines, commitments).
 */
@ApiTags('deals')
@Controller('api')
export class DealLoadingController {
  constructor(private readonly seeds: SeedService) {}

  @Post('deals')
  @Roles('admin')
  @ApiOperation({
    summary: 'Load a new deal’s approved baseline in one audited step (the shape of a seed file)',
    description:
      'The body is a deal file as in seeds/growth-deal-2014.json: name, programme, themes, projects, pools, allocations (amount), headlines (amount for money, value for counts), commitments; provenance {document, quote, section?, printed?} on each. Refused whole (422 SEED_INVALID naming each path) when anything is wrong; 409 when the deal name or programme code exists.',
  })
  @ApiBody({ schema: DEAL_SEED_SCHEMA as object })
  load(@Body() body: Record<string, unknown>, @CurrentActor() actor: Actor) {
    return this.seeds.loadDealData(body, actor);
  }
}
