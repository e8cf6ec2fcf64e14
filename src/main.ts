import 'reflect-metadata';
import { createApp } from './bootstrap';
import { ConfigError, loadConfig } from './config/config';

async function main(): Promise<void> {
  let config;
  let app;
  try {
    config = loadConfig();
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
