import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { AppConfig, ConfigError, TlsMode } from './config';

export type { TlsMode } from './config';

/**
 * How clients reach this server, from the one `TLS` setting:
 * - `off`: plain HTTP (only allowed by default on a loopback HOST, e.g. a developer's machine);
 * - `proxy`: a reverse proxy in front terminates TLS and forwards plain HTTP to us, adding
 *   X-Forwarded-For (one hop is trusted: the address the proxy saw);
 * - `on`: this server terminates TLS itself (TLS_CERT_FILE and TLS_KEY_FILE, PEM).
 */

/** A class so Nest can inject it (AppConfigModule provides it): `constructor(private tls: TlsPolicy)`. */
export class TlsPolicy {
  mode!: TlsMode;
  /** Strict-Transport-Security: only when browsers reach us over HTTPS. */
  hsts!: boolean;
  /** CSP upgrade-insecure-requests: over plain HTTP it would break every stylesheet and script. */
  upgradeInsecureRequests!: boolean;
  /** Cookies carry `Secure` (a browser would drop them over plain HTTP). */
  secureCookies!: boolean;
  /** Take the client address from X-Forwarded-For (one hop), else from the socket. */
  trustForwardedFor!: boolean;
  /** Key and certificate when this server terminates TLS itself. */
  https?: { key: Buffer; cert: Buffer };
}

/** 127.0.0.0/8, ::1, their IPv4-mapped forms and `localhost`. */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h === '::1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/**
 * The policy for a server about to listen. Refuses (ConfigError) when TLS is unset on a HOST
 * other than loopback: a server reachable from the network must say how TLS is provided.
 */
export function tlsPolicy(cfg: Pick<AppConfig, 'HOST' | 'TLS' | 'TLS_CERT_FILE' | 'TLS_KEY_FILE'>): TlsPolicy {
  let mode = cfg.TLS;
  if (!mode) {
    if (!isLoopbackHost(cfg.HOST))
      throw new ConfigError(
        `Invalid configuration:\n  - TLS must be set (off, proxy or on) when HOST is ${cfg.HOST}, which is not a loopback address: ` +
          'use TLS=proxy behind a reverse proxy that terminates HTTPS, TLS=on with TLS_CERT_FILE and TLS_KEY_FILE, or TLS=off for plain HTTP on a trusted network',
      );
    mode = 'off';
  }
  const secure = mode !== 'off';
  const policy = Object.assign(new TlsPolicy(), {
    mode,
    hsts: secure,
    upgradeInsecureRequests: secure,
    secureCookies: secure,
    trustForwardedFor: mode === 'proxy',
  });
  if (mode === 'on') {
    if (!cfg.TLS_CERT_FILE || !cfg.TLS_KEY_FILE)
      throw new ConfigError('Invalid configuration:\n  - TLS=on needs TLS_CERT_FILE and TLS_KEY_FILE (PEM files)');
    try {
      policy.https = { cert: readFileSync(cfg.TLS_CERT_FILE), key: readFileSync(cfg.TLS_KEY_FILE) };
    } catch (e) {
      throw new ConfigError(
        `Invalid configuration:\n  - TLS_CERT_FILE or TLS_KEY_FILE cannot be read: ${(e as Error).message}`,
      );
    }
  }
  return policy;
}
