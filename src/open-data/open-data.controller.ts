import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor } from '../auth/actor';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Public } from '../auth/public.decorator';
import { ANY_ROLE, Roles } from '../auth/roles.decorator';
import { Giving360Query, SetAssumptionDto } from './open-data.dto';
import { OpenDataService } from './open-data.service';

@ApiTags('open data')
@Controller('api')
export class OpenDataController {
  constructor(private readonly svc: OpenDataService) {}

  @Get('open-data/360giving.json')
  @Public()
  @ApiOperation({
    summary:
      '360Giving data package: one grant per project × source of funding (approved allocations; pooled match as one grant to the pool’s lead body). Assumed fields are listed in additional_data.notFromSource.',
  })
  @ApiOkResponse({
    schema: {
      example: {
        grants: [
          {
            id: '360G-SSLEP-SSLEP-GD-2014-ETRURIA-LGF',
            currency: 'GBP',
            amountAwarded: 2400000,
            awardDate: '2014-07-07',
          },
        ],
      },
    },
  })
  giving360(@Query() q: Giving360Query) {
    return this.svc.package360(q.programme);
  }

  @Get('programmes/:code/open-data/assumptions')
  @Roles(...ANY_ROLE)
  @ApiOperation({
    summary: 'Assumptions the 360Giving export uses where the source is silent (all "not from source").',
  })
  assumptions(@Param('code') code: string) {
    return this.svc.assumptions(code);
  }

  @Put('programmes/:code/open-data/assumptions/:key')
  @Roles('admin')
  @ApiOperation({ summary: 'Set one assumption (admin).' })
  set(
    @Param('code') code: string,
    @Param('key') key: string,
    @Body() dto: SetAssumptionDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.svc.setAssumption(code, key, dto, actor);
  }
}
