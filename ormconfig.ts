import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from './src/config/config';
import { dataSourceOptions } from './src/database/data-source-options';
import { ENTITIES } from './src/entities';

/** For the TypeORM CLI (`typeorm -d dist/ormconfig.js ...`): the same options as the app. */
export default new DataSource(dataSourceOptions(loadConfig(), ENTITIES));
