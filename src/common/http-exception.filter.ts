import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Inject,
  Logger,
  Optional,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from './errors';

export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  details?: Record<string, unknown>;
  requestId?: string;
}

/**
 * Renders the "page not found" page for a browser. The composition root provides it (the public
 * pages' layout lives above this layer); without it every 404 is JSON.
 */
export const HTML_NOT_FOUND = Symbol('HTML_NOT_FOUND');
export type HtmlNotFoundPage = (path: string) => string;

/** A browser asking for a page (not the API): GET or HEAD, outside /api, accepting HTML. */
export function wantsHtmlPage(request: Pick<FastifyRequest, 'method' | 'url' | 'headers'> | undefined): boolean {
  if (!request || (request.method !== 'GET' && request.method !== 'HEAD')) return false;
  const path = request.url.split('?')[0];
  if (path === '/api' || path.startsWith('/api/')) return false;
  return /\btext\/html\b/i.test(String(request.headers?.accept ?? ''));
}

/**
 * The one place errors become HTTP. Domain errors keep their code and status; Nest's
 * own HTTP exceptions (404 route, 413 body, 429 throttle, malformed JSON) keep theirs;
 * anything else is a 500 with no internals in the body, logged with the request id.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  constructor(@Optional() @Inject(HTML_NOT_FOUND) private readonly notFoundPage?: HtmlNotFoundPage) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const reply = ctx.getResponse<FastifyReply>();
    const request = ctx.getRequest<FastifyRequest>();
    const body = this.bodyFor(exception, request);
    if (body.statusCode === 404 && this.notFoundPage && wantsHtmlPage(request)) {
      void reply
        .status(404)
        .header('content-type', 'text/html; charset=utf-8')
        .send(this.notFoundPage(request.url.split('?')[0]));
      return;
    }
    void reply.status(body.statusCode).header('content-type', 'application/json; charset=utf-8').send(body);
  }

  /** The response body; a 5xx is logged (with the request id and stack) but its body says nothing internal. */
  bodyFor(exception: unknown, request: FastifyRequest | undefined): ErrorBody {
    const body = this.toBody(exception, request);
    if (body.statusCode >= 500) {
      if (request?.log) request.log.error({ err: exception }, 'unhandled error');
      else
        this.logger.error(
          { requestId: request?.id, err: exception instanceof Error ? exception.stack : String(exception) },
          'unhandled error',
        );
    }
    return body;
  }

  private toBody(exception: unknown, request: FastifyRequest | undefined): ErrorBody {
    const requestId = request?.id;
    if (exception instanceof DomainError) {
      return {
        statusCode: exception.status,
        code: exception.code,
        message: exception.message,
        details: exception.details,
        requestId,
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const res = exception.getResponse();
      const message = typeof res === 'string' ? res : ((res as { message?: unknown }).message ?? exception.message);
      return {
        statusCode: status,
        code: httpCode(status),
        message: Array.isArray(message) ? message.join('; ') : String(message),
        requestId,
      };
    }
    // Fastify's own errors (bad JSON, body too large, bad content type) carry a statusCode.
    const fst = exception as { statusCode?: number; code?: string; message?: string };
    if (typeof fst?.statusCode === 'number' && fst.statusCode >= 400 && fst.statusCode < 500) {
      // Their messages describe the request, never our internals; keep them short.
      const message = String(fst.message ?? 'bad request').slice(0, 300);
      return {
        statusCode: fst.statusCode,
        code: FASTIFY_CODES[fst.code ?? ''] ?? httpCode(fst.statusCode),
        message,
        requestId,
      };
    }
    return {
      statusCode: 500,
      code: 'INTERNAL',
      message: 'internal error: it has been logged with this request id',
      requestId,
    };
  }
}

/** Fastify's error codes mapped to ours, so clients see one vocabulary. */
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
};

function httpCode(status: number): string {
  switch (status) {
    case HttpStatus.NOT_FOUND:
      return 'NOT_FOUND';
    case HttpStatus.TOO_MANY_REQUESTS:
      return 'THROTTLED';
    case HttpStatus.PAYLOAD_TOO_LARGE:
      return 'PAYLOAD_TOO_LARGE';
    case HttpStatus.UNAUTHORIZED:
      return 'UNAUTHENTICATED';
    case HttpStatus.FORBIDDEN:
      return 'FORBIDDEN';
    default:
      return status >= 500 ? 'INTERNAL' : 'BAD_REQUEST';
  }
}
