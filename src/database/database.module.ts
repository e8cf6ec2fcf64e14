import { DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/config';
import { openDataSource } from './connect';
import { dataSourceOptions, EntityList } from './data-source-options';
import { Db } from './db.service';

/**
 * Opens the database (StartupService brings its schema up to date before anything reads).
 * The composing module passes the entity list: `DatabaseModule.forRoot(ENTITIES)`.
 */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(entities: EntityList): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (cfg: AppConfig) => dataSourceOptions(cfg, entities),
          dataSourceFactory: async (options) => openDataSource(settingsFrom(options), entities),
        }),
      ],
      providers: [Db],
      exports: [Db],
    };
  }
}

function settingsFrom(options: unknown): { DATABASE_URL?: string; DATABASE_PATH: string; DATABASE_SCHEMA?: string } {
  const o = options as { type: string; url?: string; database?: string; schema?: string };
  return o.type === 'postgres'
    ? { DATABASE_URL: o.url, DATABASE_PATH: '', DATABASE_SCHEMA: o.schema }
    : { DATABASE_PATH: o.database ?? '' };
}
