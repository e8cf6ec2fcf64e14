import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppConfigModule } from '../config/config.module';
import { DatabaseModule } from '../database/database.module';
import { NationalReturnModule } from './national-return.module';
import { NationalExportResult, NationalReturnService } from './national-return.service';

/** Just what the export needs: configuration, the database (raw SQL: no entities), the national return. */
@Module({ imports: [AppConfigModule, DatabaseModule.forRoot([]), NationalReturnModule] })
class NationalExportOnlyModule {}

/**
 * A process that does only the export (the benchmark measures its peak memory as maxRSS):
 * the database comes from the environment, as for the app.
 */
export async function runNationalExport(args: {
  quarter: string;
  out: string;
  generatedAt?: string;
}): Promise<Omit<NationalExportResult, 'sheets'>> {
  const ctx = await NestFactory.createApplicationContext(NationalExportOnlyModule, { logger: ['error'] });
  try {
    const r = await ctx
      .get(NationalReturnService)
      .exportToFile(args.out, args.quarter, { generatedAt: args.generatedAt });
    return { quarter: r.quarter, programmes: r.programmes, rows: r.rows };
  } finally {
    await ctx.close();
  }
}
