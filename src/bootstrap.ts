import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { AppModule } from './app.module';
import { AppConfig, loadConfig } from './config/config';
import { createValidationPipe } from './common/validation';

/** Builds the HTTP app (used by main.ts and by the end-to-end tests). */
export async function createApp(config: AppConfig = loadConfig()): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: config.BODY_LIMIT_BYTES,
    logger: config.LOG_LEVEL === 'silent' ? false : { level: config.LOG_LEVEL, redact: ['req.headers.authorization'] },
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => (typeof req.headers['x-request-id'] === 'string' && /^[\w.-]{1,64}$/.test(req.headers['x-request-id']) ? req.headers['x-request-id'] : randomUUID()),
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, adapter, {
    logger: config.LOG_LEVEL === 'silent' ? false : ['error', 'warn', 'log'],
  });
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  const docs = new DocumentBuilder()
    .setTitle('Growth Deal tracker')
    .setDescription('Local Enterprise Partnership Growth Deals: funding, projects, delivery and quarterly returns. Money is pounds as strings with two decimal places ("2400000.00").')
    .setVersion('0.1.0')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, docs), { jsonDocumentUrl: 'api/docs-json' });
  return app;
}
