import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, validateSync } from 'class-validator';

export type TlsMode = 'off' | 'proxy' | 'on';

/** Every environment variable the app reads, validated once at start-up. */
export class AppConfig {
  /** postgres://user@host:5432/db selects PostgreSQL; unset means the embedded SQLite file. */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, {
    message: 'DATABASE_URL must start with postgres:// (leave it unset for the embedded SQLite database)',
  })
  DATABASE_URL?: string;

  /** Schema to use on PostgreSQL (tests use a fresh one per run). */
  @IsOptional()
  @Matches(/^[a-z_][a-z0-9_]{0,62}$/, { message: 'DATABASE_SCHEMA must be a lower-case SQL identifier' })
  DATABASE_SCHEMA?: string;

  @IsString()
  DATABASE_PATH = 'data/growth-deal.sqlite';

  @Transform(({ value }) => (value === undefined ? 3000 : Number(value)))
  @IsInt({ message: 'PORT must be a whole number' })
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '127.0.0.1';

  /**
   * How clients reach the server (see tls.ts): off, proxy or on. Unset means off on a loopback
   * HOST; on any other HOST the server refuses to start until it is set.
   */
  @IsOptional()
  @IsIn(['off', 'proxy', 'on'], { message: 'TLS must be off, proxy or on' })
  TLS?: TlsMode;

  /** PEM certificate and key, for TLS=on. */
  @IsOptional()
  @IsString()
  TLS_CERT_FILE?: string;

  @IsOptional()
  @IsString()
  TLS_KEY_FILE?: string;

  /** Load the 2014 deal into an empty database at start. */
  @Transform(({ value }) => parseBool(value, true))
  @IsBoolean({ message: 'SEED_ON_START must be true or false' })
  SEED_ON_START = true;

  /** Load the illustrative delivery history after the deal. */
  @Transform(({ value }) => parseBool(value, true))
  @IsBoolean({ message: 'DEMO_DATA must be true or false' })
  DEMO_DATA = true;

  /** Comma-separated origins allowed by CORS; empty means CORS is off. */
  @IsOptional()
  @IsString()
  CORS_ORIGINS?: string;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    message: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
  })
  LOG_LEVEL = 'info';

  @Transform(({ value }) => (value === undefined ? 1_048_576 : Number(value)))
  @IsInt({ message: 'BODY_LIMIT_BYTES must be a whole number' })
  @Min(1024)
  BODY_LIMIT_BYTES = 1_048_576;

  /** Writes allowed per client per minute (reads are not throttled). */
  @Transform(({ value }) => (value === undefined ? 600 : Number(value)))
  @IsInt({ message: 'WRITE_RATE_LIMIT must be a whole number' })
  @Min(1)
  WRITE_RATE_LIMIT = 600;

  /** Failed token presentations allowed per client address per minute before it is blocked for a minute. */
  @Transform(({ value }) => (value === undefined ? 30 : Number(value)))
  @IsInt({ message: 'AUTH_FAILURE_LIMIT must be a whole number' })
  @Min(1)
  AUTH_FAILURE_LIMIT = 30;
}

function parseBool(value: unknown, dflt: boolean): unknown {
  if (value === undefined || value === '') return dflt;
  if (typeof value === 'boolean') return value;
  if (/^(1|true|yes|on)$/i.test(String(value))) return true;
  if (/^(0|false|no|off)$/i.test(String(value))) return false;
  return value;
}

export class ConfigError extends Error {}

/** Builds the config from an environment, or throws one message naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const known = Object.keys(new AppConfig());
  const raw: Record<string, unknown> = {};
  for (const k of [...known, 'DATABASE_URL', 'DATABASE_SCHEMA', 'CORS_ORIGINS', 'TLS', 'TLS_CERT_FILE', 'TLS_KEY_FILE'])
    if (env[k] !== undefined) raw[k] = env[k];
  const cfg = plainToInstance(AppConfig, raw, { exposeDefaultValues: true });
  const errors = validateSync(cfg, { whitelist: true });
  if (errors.length) {
    const lines = errors.flatMap((e) => Object.values(e.constraints ?? {}));
    throw new ConfigError(`Invalid configuration:\n  - ${lines.join('\n  - ')}`);
  }
  return cfg;
}
