export type TlsMode = 'off' | 'proxy' | 'on';

/**
 * Every environment variable the app reads, validated once at start-up. The checks are plain
 * code rather than class-validator decorators: every CLI command loads this, and
 * class-validator with its dependencies is a third of a command's start-up.
 */
export class AppConfig {
  /** postgres://user@host:5432/db selects PostgreSQL; unset means the embedded SQLite file. */
  DATABASE_URL?: string;

  /** Schema to use on PostgreSQL (tests use a fresh one per run). */
  DATABASE_SCHEMA?: string;

  DATABASE_PATH = 'data/growth-deal.sqlite';

  PORT = 3000;

  HOST = '127.0.0.1';

  /**
   * How clients reach the server (see tls.ts): off, proxy or on. Unset means off on a loopback
   * HOST; on any other HOST the server refuses to start until it is set.
   */
  TLS?: TlsMode;

  /** PEM certificate and key, for TLS=on. */
  TLS_CERT_FILE?: string;

  TLS_KEY_FILE?: string;

  /** Load the 2014 deal into an empty database at start. */
  SEED_ON_START = true;

  /** Load the illustrative delivery history after the deal. */
  DEMO_DATA = true;

  /** Comma-separated origins allowed by CORS; empty means CORS is off. */
  CORS_ORIGINS?: string;

  LOG_LEVEL = 'info';

  BODY_LIMIT_BYTES = 1_048_576;

  /** Writes allowed per client per minute (reads are not throttled). */
  WRITE_RATE_LIMIT = 600;

  /** Failed token presentations allowed per client address per minute before it is blocked for a minute. */
  AUTH_FAILURE_LIMIT = 30;
}

/** One variable's rule: the value it stands for, or the sentence naming what is wrong. */
type Rule = (raw: string, name: string) => { value: unknown } | { problem: string };

const text: Rule = (raw) => ({ value: raw });
const matching =
  (re: RegExp, problem: string): Rule =>
  (raw) =>
    re.test(raw) ? { value: raw } : { problem };
const oneOf =
  (values: readonly string[], problem: string): Rule =>
  (raw) =>
    values.includes(raw) ? { value: raw } : { problem };
const wholeNumber =
  (min: number, max = Number.MAX_SAFE_INTEGER): Rule =>
  (raw, name) => {
    const n = Number(raw);
    if (!Number.isInteger(n)) return { problem: `${name} must be a whole number` };
    if (n < min) return { problem: `${name} must not be less than ${min}` };
    if (n > max) return { problem: `${name} must not be greater than ${max}` };
    return { value: n };
  };
const bool: Rule = (raw, name) => {
  const v = parseBool(raw);
  return v !== undefined ? { value: v } : { problem: `${name} must be true or false` };
};

const RULES: Record<keyof AppConfig, Rule> = {
  DATABASE_URL: matching(
    /^postgres(ql)?:\/\/.+/,
    'DATABASE_URL must start with postgres:// (leave it unset for the embedded SQLite database)',
  ),
  DATABASE_SCHEMA: matching(/^[a-z_][a-z0-9_]{0,62}$/, 'DATABASE_SCHEMA must be a lower-case SQL identifier'),
  DATABASE_PATH: text,
  PORT: wholeNumber(0, 65535),
  HOST: text,
  TLS: oneOf(['off', 'proxy', 'on'], 'TLS must be off, proxy or on'),
  TLS_CERT_FILE: text,
  TLS_KEY_FILE: text,
  SEED_ON_START: bool,
  DEMO_DATA: bool,
  CORS_ORIGINS: text,
  LOG_LEVEL: oneOf(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
    'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
  ),
  BODY_LIMIT_BYTES: wholeNumber(1024),
  WRITE_RATE_LIMIT: wholeNumber(1),
  AUTH_FAILURE_LIMIT: wholeNumber(1),
};

/** true/false, yes/no, on/off or 1/0 in any case; anything else is not a switch. */
function parseBool(raw: string): boolean | undefined {
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  return undefined;
}

export class ConfigError extends Error {}

/** Builds the config from an environment, or throws one message naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const cfg = new AppConfig();
  const problems: string[] = [];
  for (const name of Object.keys(RULES) as (keyof AppConfig)[]) {
    const raw = env[name];
    // Unset keeps the default; an empty switch (SEED_ON_START=) means its default too.
    if (raw === undefined || (raw === '' && RULES[name] === bool)) continue;
    const r = RULES[name](raw, name);
    if ('problem' in r) problems.push(r.problem);
    else (cfg as unknown as Record<string, unknown>)[name] = r.value;
  }
  if (problems.length) throw new ConfigError(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  return cfg;
}
