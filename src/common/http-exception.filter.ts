import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
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
 * The one place errors become HTTP. Domain errors keep their code and status; Nest's
 * own HTTP exceptions (404 route, 413 body, 429 throttle, malformed JSON) keep theirs;
 * anything else is a 500 with no internals in the body, logged with the request id.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const reply = ctx.getResponse<FastifyReply>();
    const request = ctx.getRequest<FastifyRequest>();
    const body = this.toBody(exception, request);
    if (body.statusCode >= 500) {
      this.logger.error({ requestId: request?.id, err: exception instanceof Error ? exception.stack : String(exception) }, 'unhandled error');
    }
    void reply.status(body.statusCode).header('content-type', 'application/json; charset=utf-8').send(body);
  }

  private toBody(exception: unknown, request: FastifyRequest | undefined): ErrorBody {
    const requestId = request?.id;
    if (exception instanceof DomainError) {
      return { statusCode: exception.status, code: exception.code, message: exception.message, details: exception.details, requestId };
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
      return { statusCode: fst.statusCode, code: fst.code ?? httpCode(fst.statusCode), message: fst.message ?? 'bad request', requestId };
    }
    return { statusCode: 500, code: 'INTERNAL', message: 'internal error: it has been logged with this request id', requestId };
  }
}

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
