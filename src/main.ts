import 'reflect-metadata';
import { createApp } from './bootstrap';
import { ConfigError, loadConfig } from './config/config';
import { acquireServerLock, LockUnavailableError } from './database/server-lock';

async function main(): Promise<void> {
  let config;
  let app;
  try {
    config = loadConfig();
    // SQLite: mark the database as held by a server for as long as this process lives (restore
    // refuses while it is held; the lock ends with the process, however it ends).
    if (!config.DATABASE_URL) {
      try {
        await acquireServerLock(config.DATABASE_PATH, 'shared', 60);
      } catch (e) {
        if (e instanceof LockUnavailableError) {
          process.stderr.write(`${config.DATABASE_PATH} is being restored: try again when the restore has finished\n`);
          process.exit(2);
        }
        process.stderr.write(
          `warning: restore cannot see that this server holds the database: ${(e as Error).message}\n`,
        );
      }
    }
    // createApp refuses a non-loopback HOST without TLS set (ConfigError).
    app = await createApp(config);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  await app.listen(config.PORT, config.HOST);
  const scheme = config.TLS === 'on' ? 'https' : 'http';
  process.stdout.write(`Growth Deal tracker on ${scheme}://${config.HOST}:${config.PORT}/ (API docs at /api/docs)\n`);
}

void main();
