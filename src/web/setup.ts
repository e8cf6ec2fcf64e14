import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyMultipart from '@fastify/multipart';
import fastifySession from '@fastify/session';
import fastifyView from '@fastify/view';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';
import { AppConfig } from '../config/config';
import { TlsPolicy } from '../config/tls';
import { Db } from '../database/db.service';
import { MAX_XLSX_BYTES } from '../xlsx';
import { govukDir, viewEnvironment, viewsDir } from './view-engine';
import { DbSessionStore } from './session/session-store';

// Where the templates are (view-engine.ts owns them; kept here for existing importers).
export { govukDir, viewsDir };

/** Where the staff pages live; the session cookie is sent only there. */
export const WEB_PREFIX = '/manage';
export const SESSION_COOKIE = 'gdt_session';

export interface Flash {
  kind: 'success' | 'info';
  text: string;
}

declare module 'fastify' {
  interface Session {
    userId?: number;
    flash?: Flash;
    _csrf?: string;
  }
}

/** The CSRF token of a form post, or of a multipart upload (header or query string). */
export function csrfTokenOf(req: FastifyRequest): string | undefined {
  const body = req.body as Record<string, unknown> | undefined;
  const query = req.query as Record<string, unknown> | undefined;
  const header = req.headers['x-csrf-token'];
  const found = body?._csrf ?? header ?? query?._csrf;
  return typeof found === 'string' ? found : undefined;
}

/**
 * Registers what the staff pages need on the Fastify instance: form bodies, cookies, server-side
 * sessions in our database (none is created until something is stored in it, so public pages
 * make no rows), CSRF secrets kept in the session, and Nunjucks views with GOV.UK Frontend's
 * macros. Cookies are `Secure` unless the TLS setting is `off`. Called by createApp before the app initialises.
 */
export async function registerWeb(app: NestFastifyApplication, config: AppConfig, tls: TlsPolicy): Promise<void> {
  const db = app.get(Db);
  await app.register(fastifyFormbody as never, { bodyLimit: config.BODY_LIMIT_BYTES });
  // File uploads (the partner spreadsheet): one file, the xlsx reader's size limit; read by the
  // handler after the CSRF guard, never buffered by the parser.
  await app.register(fastifyMultipart as never, {
    limits: { fileSize: MAX_XLSX_BYTES, files: 1, fields: 5, fieldSize: 1024, parts: 6 },
  });
  await app.register(fastifyCookie as never);
  await app.register(fastifySession as never, {
    // The id is 256 random bits looked up server-side, so it needs no signature: the signer is the identity.
    secret: { sign: (v: string) => v, unsign: (v: string) => ({ valid: true, renew: false, value: v }) },
    idGenerator: () => randomBytes(32).toString('base64url'),
    cookieName: SESSION_COOKIE,
    cookie: { path: WEB_PREFIX, httpOnly: true, sameSite: 'lax', secure: tls.secureCookies },
    saveUninitialized: false,
    rolling: false,
    store: new DbSessionStore(db),
  });
  await app.register(fastifyCsrf as never, { sessionPlugin: '@fastify/session', getToken: csrfTokenOf });
  // @fastify/view asks its engine to configure an environment: hand it the shared one, so staff
  // and public pages render through the same templates, filters and escaping.
  await app.register(fastifyView as never, {
    engine: { nunjucks: { configure: () => viewEnvironment() } },
    templates: [viewsDir(), govukDir()],
  });
}
