import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/config';
import { openDataSource, runMigrations } from './connect';
import { dataSourceOptions } from './data-source-options';
import { Db } from './db.service';

/** Opens the database and brings its schema up to date before anything else runs. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (cfg: AppConfig) => dataSourceOptions(cfg),
      dataSourceFactory: async (options) => {
        const cfg = settingsFrom(options);
        const ds = await openDataSource(cfg);
        await runMigrations(ds);
        return ds;
      },
    }),
  ],
  providers: [Db],
  exports: [Db],
})
export class DatabaseModule {}

function settingsFrom(options: unknown): { DATABASE_URL?: string; DATABASE_PATH: string; DATABASE_SCHEMA?: string } {
  const o = options as { type: string; url?: string; database?: string; schema?: string };
  return o.type === 'postgres'
    ? { DATABASE_URL: o.url, DATABASE_PATH: '', DATABASE_SCHEMA: o.schema }
    : { DATABASE_PATH: o.database ?? '' };
}
