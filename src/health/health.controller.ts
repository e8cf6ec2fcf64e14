import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/public.decorator';
import { Db } from '../database/db.service';
import { migrationState } from '../database/connect';

@ApiTags('health')
@Controller('api/health')
export class HealthController {
  constructor(private readonly db: Db) {}

  @Get()
  @Public()
  @ApiOkResponse({
    description: 'Database in use and migration state',
    schema: {
      example: { status: 'ok', database: 'sqlite', migrations: { applied: ['Foundation1760000000000'], pending: [] } },
    },
  })
  async health() {
    const migrations = await this.db.read(() => migrationState(this.db.ds));
    await this.db.read((m) => m.query('SELECT 1'));
    return { status: migrations.pending.length ? 'migrations_pending' : 'ok', database: this.db.type, migrations };
  }
}
