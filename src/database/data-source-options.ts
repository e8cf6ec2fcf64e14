import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from './migrations';
import { SnakeNamingStrategy } from './snake-naming.strategy';

export interface DatabaseSettings {
  DATABASE_URL?: string;
  DATABASE_SCHEMA?: string;
  DATABASE_PATH: string;
}

export type DatabaseType = 'sqlite' | 'postgres';

export function databaseType(s: DatabaseSettings): DatabaseType {
  return s.DATABASE_URL ? 'postgres' : 'sqlite';
}

/** The entity classes a DataSource maps (the list is src/entities.ts, above every feature). */
export type EntityList = NonNullable<DataSourceOptions['entities']>;

/**
 * The one DataSource options object: the app, the CLI and ../ormconfig.ts all build
 * their DataSource from this. Migrations only; never synchronize. The entities are passed in
 * by whoever composes the app (the database layer knows no feature); migrations need none.
 */
export function dataSourceOptions(s: DatabaseSettings, entities: EntityList = []): DataSourceOptions {
  const common = {
    entities,
    migrations: MIGRATIONS,
    synchronize: false,
    migrationsRun: false,
    migrationsTransactionMode: 'each' as const,
    logging: false as const,
    namingStrategy: new SnakeNamingStrategy(),
  };
  if (s.DATABASE_URL) {
    return {
      ...common,
      type: 'postgres',
      url: s.DATABASE_URL,
      schema: s.DATABASE_SCHEMA,
      extra: { max: 10, options: s.DATABASE_SCHEMA ? `-c search_path=${s.DATABASE_SCHEMA}` : undefined },
    };
  }
  return {
    ...common,
    type: 'sqlite',
    database: s.DATABASE_PATH,
    // WAL lets readers go on while a write commits; busy_timeout waits instead of failing.
    enableWAL: true,
    busyErrorRetry: 2000,
  };
}
