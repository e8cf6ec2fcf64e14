import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { randomUUID } from 'node:crypto';
import { AppModule } from './app.module';
import { declareAccess } from './auth/openapi-access';
import { guardJsonBodies } from './common/json-body';
import { PinoNestLogger } from './common/pino-logger';
import { recordRoutes } from './common/route-table';
import { createValidationPipe } from './common/validation';
import { AppConfig, loadConfig } from './config/config';
import { tlsPolicy } from './config/tls';
import { registerWeb } from './web/setup';

/** Log paths that could carry a credential; pino replaces them before a line is written. */
export const REDACTED_LOG_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'authorization',
  'token',
  '*.token',
  'secret',
  '*.secret',
];

/**
 * Content-Security-Policy: scripts only from our origin; styles may be inline (the OpenAPI page
 * and server-rendered pages use small inline styles); images from us or data: URIs (inline SVG
 * in HTML needs no source at all). No framing, no plugins.
 */
export const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

export interface CreateAppOptions {
  /** Where JSON log lines go (default stdout); tests capture them. */
  logStream?: NodeJS.WritableStream;
}

/** Builds the HTTP app (used by main.ts and by the end-to-end tests). */
export async function createApp(
  config: AppConfig = loadConfig(),
  opts: CreateAppOptions = {},
): Promise<NestFastifyApplication> {
  const silent = config.LOG_LEVEL === 'silent';
  // Refuses to build a server on a non-loopback HOST until TLS says how clients reach it.
  const tls = tlsPolicy(config);
  const adapter = new FastifyAdapter({
    bodyLimit: config.BODY_LIMIT_BYTES,
    // Behind the proxy (TLS=proxy) the client is the last address it appended; otherwise the socket's.
    trustProxy: tls.trustForwardedFor ? 1 : false,
    ...(tls.https ? { https: tls.https } : {}),
    logger: silent
      ? false
      : {
          level: config.LOG_LEVEL,
          redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' },
          ...(opts.logStream ? { stream: opts.logStream } : {}),
        },
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) =>
      typeof req.headers['x-request-id'] === 'string' && /^[\w.-]{1,64}$/.test(req.headers['x-request-id'])
        ? req.headers['x-request-id']
        : randomUUID(),
  });
  const fastify = adapter.getInstance();
  recordRoutes(fastify as never);
  fastify.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, adapter, {
    logger: silent ? false : ['error', 'warn', 'log'],
    bufferLogs: !silent,
    // JSON bodies use Fastify's own parser; forms use @fastify/formbody (registered with the staff pages).
    bodyParser: false,
  });
  if (!silent) app.useLogger(new PinoNestLogger(fastify.log));
  guardJsonBodies(fastify as never);
  await registerWeb(app, config, tls);
  // Security headers (Helmet), the same on every response: the middleware is built once here.
  // @fastify/helmet builds it anew on every request (parsing the CSP each time), a measurable
  // share of a small route's time.
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      // upgrade-insecure-requests over plain HTTP would send every stylesheet to an https:// that does not answer.
      directives: { ...CSP_DIRECTIVES, upgradeInsecureRequests: tls.upgradeInsecureRequests ? [] : null },
    },
    hsts: tls.hsts ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
  });
  const headersPlugin = Object.assign(
    async (f: typeof fastify) => {
      f.addHook('onRequest', (req, reply, done) =>
        securityHeaders(req.raw, reply.raw, (e) => done(e as Error | undefined)),
      );
    },
    // As fastify-plugin does: the hook belongs to the root, so every route has it.
    { [Symbol.for('skip-override')]: true },
  );
  await app.register(headersPlugin as never);
  const origins = (config.CORS_ORIGINS ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  // CORS stays off (no Access-Control headers at all) unless origins are configured.
  if (origins.length)
    app.enableCors({
      origin: origins,
      methods: ['GET', 'HEAD', 'POST', 'PATCH', 'PUT', 'DELETE'],
      allowedHeaders: ['Authorization', 'Content-Type', 'X-Request-Id'],
      maxAge: 600,
    });
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  const docs = new DocumentBuilder()
    .setTitle('Growth Deal tracker')
    .setDescription(
      'Local Enterprise Partnership Growth Deals: funding, projects, delivery and quarterly returns. Money is pounds as strings with two decimal places (`"2400000.00"`). Public routes need no token; every other route needs a personal API token: `Authorization: Bearer gdt_<id>_<secret>`.',
    )
    .setVersion('0.1.0')
    .build();
  // Security is declared per operation from the guard's own metadata (@Public, @Roles), not by hand.
  SwaggerModule.setup('api/docs', app, () => declareAccess(SwaggerModule.createDocument(app, docs), app), {
    jsonDocumentUrl: 'api/docs-json',
  });
  return app;
}
