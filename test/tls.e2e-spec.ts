import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../src/bootstrap';
import { ConfigError, loadConfig } from '../src/config/config';
import { isLoopbackHost, tlsPolicy } from '../src/config/tls';
import { databaseKinds } from './support/databases';
import { startTestApp, TestApp } from './support/test-app';

/**
 * One setting, TLS=off|proxy|on, decides HSTS, CSP upgrade-insecure-requests, Secure cookies and
 * whether X-Forwarded-For is trusted; unset means off on a loopback HOST, and any other HOST
 * refuses to start until it is set.
 */
const UNKNOWN = 'gdt_AAAAAAAAAAAAAAAA_' + 'A'.repeat(43);

describe('TLS setting', () => {
  it('knows loopback hosts', () => {
    expect(['127.0.0.1', '127.8.9.1', '::1', '[::1]', 'localhost', '::ffff:127.0.0.1'].map(isLoopbackHost)).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(['0.0.0.0', '::', '10.0.0.5', 'example.org', '128.0.0.1'].map(isLoopbackHost)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('decides every dependent behaviour from the one setting', () => {
    const p = (TLS?: 'off' | 'proxy' | 'on', HOST = '127.0.0.1') => {
      const { mode, hsts, upgradeInsecureRequests, secureCookies, trustForwardedFor } = tlsPolicy({ HOST, TLS });
      return { mode, hsts, upgradeInsecureRequests, secureCookies, trustForwardedFor };
    };
    const none = { hsts: false, upgradeInsecureRequests: false, secureCookies: false, trustForwardedFor: false };
    expect(p()).toEqual({ mode: 'off', ...none });
    expect(p('off', '0.0.0.0')).toEqual({ mode: 'off', ...none });
    expect(p('proxy', '0.0.0.0')).toEqual({
      mode: 'proxy',
      hsts: true,
      upgradeInsecureRequests: true,
      secureCookies: true,
      trustForwardedFor: true,
    });
    expect(() => p('on')).toThrow(/TLS=on needs TLS_CERT_FILE and TLS_KEY_FILE/);
  });

  it('refuses to start on a non-loopback HOST until TLS is set', async () => {
    const cfg = loadConfig({ HOST: '0.0.0.0', DATABASE_PATH: '/nonexistent/never-opened.sqlite' });
    await expect(createApp(cfg)).rejects.toThrow(ConfigError);
    await expect(createApp(cfg)).rejects.toThrow(/TLS must be set \(off, proxy or on\) when HOST is 0\.0\.0\.0/);
    expect(() => loadConfig({ TLS: 'yes' })).toThrow(/TLS must be off, proxy or on/);
  });
});

describe.each(databaseKinds())('TLS modes over HTTP on %s', (kind) => {
  const unknownFrom = (t: TestApp, forwardedFor: string) =>
    t.anonymous('GET', '/api/programmes/SSLEP-GD-2014/projects', undefined, {
      authorization: `Bearer ${UNKNOWN}`,
      'x-forwarded-for': forwardedFor,
    });

  describe('off (the default on loopback)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp(kind, { AUTH_FAILURE_LIMIT: '2' });
    });
    afterAll(async () => t?.close());

    it('sends neither HSTS nor upgrade-insecure-requests, so plain-HTTP pages keep their styles', async () => {
      const res = await t.anonymous('GET', '/api/health');
      expect(res.headers['strict-transport-security']).toBeUndefined();
      expect(String(res.headers['content-security-policy'])).not.toContain('upgrade-insecure-requests');
      expect(String(res.headers['content-security-policy'])).toContain("default-src 'self'");
    });

    it('ignores X-Forwarded-For: a client cannot pick the address its failures count against', async () => {
      const statuses = [];
      for (const xff of ['10.0.0.1', '10.0.0.2', '10.0.0.3']) statuses.push((await unknownFrom(t, xff)).status);
      expect(statuses).toEqual([401, 401, 429]);
    });
  });

  describe('proxy', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp(kind, { TLS: 'proxy', AUTH_FAILURE_LIMIT: '2' });
    });
    afterAll(async () => t?.close());

    it('sends HSTS and upgrade-insecure-requests', async () => {
      const res = await t.anonymous('GET', '/api/health');
      expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
      expect(String(res.headers['content-security-policy'])).toContain('upgrade-insecure-requests');
    });

    it('takes the client address from the hop the proxy appended', async () => {
      const a = [];
      for (let i = 0; i < 3; i++) a.push((await unknownFrom(t, `6.6.6.6, 10.0.0.1`)).status);
      expect(a).toEqual([401, 401, 429]);
      // Another client behind the same proxy is counted apart (a spoofed left entry changes nothing).
      expect((await unknownFrom(t, '10.0.0.1, 10.0.0.2')).status).toBe(401);
      expect((await unknownFrom(t, '10.0.0.1')).status).toBe(429);
    });
  });
});

describe('TLS=on serves HTTPS itself', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gdt-tls-'));
  let t: TestApp;
  beforeAll(async () => {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-subj',
        '/CN=127.0.0.1',
        '-days',
        '1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    t = await startTestApp('sqlite', {
      TLS: 'on',
      TLS_CERT_FILE: join(dir, 'cert.pem'),
      TLS_KEY_FILE: join(dir, 'key.pem'),
    });
    await t.app.listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers over TLS with HSTS', async () => {
    const port = (t.app.getHttpServer().address() as AddressInfo).port;
    const res = await new Promise<{ status: number; hsts: unknown; body: string }>((resolve, reject) => {
      const req = httpsRequest({ host: '127.0.0.1', port, path: '/api/health', rejectUnauthorized: false }, (r) => {
        let body = '';
        r.on('data', (d) => (body += String(d)));
        r.on('end', () => resolve({ status: r.statusCode ?? 0, hsts: r.headers['strict-transport-security'], body }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(res.status).toBe(200);
    expect(res.hsts).toBe('max-age=31536000; includeSubDomains');
    expect(JSON.parse(res.body)).toMatchObject({ status: 'ok' });
  });
});
