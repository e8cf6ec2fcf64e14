import { AppConfig, ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('gives the defaults for an empty environment', () => {
    expect({ ...loadConfig({}) }).toEqual({ ...new AppConfig() });
    expect(loadConfig({})).toMatchObject({
      DATABASE_PATH: 'data/growth-deal.sqlite',
      PORT: 3000,
      HOST: '127.0.0.1',
      SEED_ON_START: true,
      DEMO_DATA: true,
      LOG_LEVEL: 'info',
      BODY_LIMIT_BYTES: 1_048_576,
      WRITE_RATE_LIMIT: 600,
      AUTH_FAILURE_LIMIT: 30,
    });
    expect(loadConfig({}).DATABASE_URL).toBeUndefined();
  });

  it('reads numbers, switches and words, and ignores variables it does not know', () => {
    const c = loadConfig({
      DATABASE_URL: 'postgres://u@h:5432/db',
      DATABASE_SCHEMA: 'gdt_1',
      PORT: '0',
      SEED_ON_START: 'no',
      DEMO_DATA: 'ON',
      TLS: 'proxy',
      LOG_LEVEL: 'silent',
      BODY_LIMIT_BYTES: '4096',
      WRITE_RATE_LIMIT: '8',
      AUTH_FAILURE_LIMIT: '3',
      CORS_ORIGINS: 'https://a.example',
      PATH: '/bin',
    });
    expect({ ...c }).toEqual({
      ...new AppConfig(),
      DATABASE_URL: 'postgres://u@h:5432/db',
      DATABASE_SCHEMA: 'gdt_1',
      PORT: 0,
      SEED_ON_START: false,
      DEMO_DATA: true,
      TLS: 'proxy',
      LOG_LEVEL: 'silent',
      BODY_LIMIT_BYTES: 4096,
      WRITE_RATE_LIMIT: 8,
      AUTH_FAILURE_LIMIT: 3,
      CORS_ORIGINS: 'https://a.example',
    });
    expect(loadConfig({ SEED_ON_START: '' }).SEED_ON_START).toBe(true);
  });

  it('refuses bad values with one message naming every bad variable', () => {
    const bad = () =>
      loadConfig({
        DATABASE_URL: 'mysql://x',
        DATABASE_SCHEMA: 'Bad-Name',
        PORT: '70000',
        SEED_ON_START: 'maybe',
        TLS: 'yes',
        LOG_LEVEL: 'loud',
        BODY_LIMIT_BYTES: '1.5',
        WRITE_RATE_LIMIT: '0',
        AUTH_FAILURE_LIMIT: 'many',
      });
    expect(bad).toThrow(ConfigError);
    expect(bad).toThrow(
      [
        'Invalid configuration:',
        '  - DATABASE_URL must start with postgres:// (leave it unset for the embedded SQLite database)',
        '  - DATABASE_SCHEMA must be a lower-case SQL identifier',
        '  - PORT must not be greater than 65535',
        '  - TLS must be off, proxy or on',
        '  - SEED_ON_START must be true or false',
        '  - LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
        '  - BODY_LIMIT_BYTES must be a whole number',
        '  - WRITE_RATE_LIMIT must not be less than 1',
        '  - AUTH_FAILURE_LIMIT must be a whole number',
      ].join('\n'),
    );
  });
});
