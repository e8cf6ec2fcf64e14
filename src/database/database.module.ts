import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/config';
import { openDataSource } from './connect';
import { dataSourceOptions } from './data-source-options';
import { Db } from './db.service';

/** Opens the database (StartupService brings its schema up to date before anything reads). */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (cfg: AppConfig) => dataSourceOptions(cfg),
      // Migrations run in StartupService, before anything reads.
      dataSourceFactory: async (options) => openDataSource(settingsFrom(options)),
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
