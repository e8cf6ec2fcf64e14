import { DataSource } from 'typeorm';

/** Counts the SQL statements the app sends (TypeORM logs each through its logger). */
export function queryCounter(ds: DataSource) {
  let n = 0;
  const logger = ds.logger;
  const original = logger.logQuery.bind(logger);
  logger.logQuery = (...args: Parameters<typeof logger.logQuery>) => {
    n++;
    return original(...args);
  };
  return {
    async count(fn: () => Promise<unknown>): Promise<number> {
      n = 0;
      await fn();
      return n;
    },
    restore(): void {
      logger.logQuery = original;
    },
  };
}
