import type { FastifyInstance } from 'fastify';
import { DomainError } from './errors';

/**
 * Request bodies are refused before validation when they could only hurt it:
 * - nested deeper than MAX_JSON_DEPTH (validation and class-transformer recurse: 3,000 levels
 *   overflowed the stack, a 500 on every write route). Real bodies nest about five levels;
 * - carrying U+0000 in any string or key (PostgreSQL text cannot store it: a 500 there).
 * The same NUL rule covers URLs (%00 in a path or query).
 */
export const MAX_JSON_DEPTH = 32;

class BadBodyError extends DomainError {
  // Fastify answers errors from a content-type parser by their statusCode.
  readonly statusCode = 400;
  constructor(code: string, message: string, field?: string) {
    super(code, message, 400, field ? { field } : undefined);
  }
}

/** The deepest nesting of objects and arrays in a JSON text (a quick scan, strings skipped); stops past `limit`. */
export function jsonDepth(text: string, limit = Infinity): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > max) {
        max = depth;
        if (max > limit) return max;
      }
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
  }
  return max;
}

/** The path of the first string or key holding U+0000, if any ("" for the body itself). */
export function nulPath(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path || 'body' : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  for (const [k, v] of Object.entries(value)) {
    const here = Array.isArray(value) ? `${path}[${k}]` : path ? `${path}.${k}` : k;
    if (k.includes('\u0000')) return here;
    const found = nulPath(v, here);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Replaces Fastify's JSON parser with the same parser behind these two checks, and refuses %00 in URLs. */
export function guardJsonBodies(fastify: FastifyInstance): void {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = body as string;
    if (jsonDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
      done(new BadBodyError('TOO_DEEP', `the JSON body is nested deeper than ${MAX_JSON_DEPTH} levels`), undefined);
      return;
    }
    parse(req, text, (err, value) => {
      if (err) return done(err, undefined);
      const at = nulPath(value);
      if (at !== undefined)
        return done(
          new BadBodyError('VALIDATION_FAILED', `${at}: must not contain the character U+0000`, at),
          undefined,
        );
      done(null, value);
    });
  });
  fastify.addHook('onRequest', async (req) => {
    if (/%00/i.test(req.url)) throw new BadBodyError('VALIDATION_FAILED', 'the URL must not contain %00 (U+0000)');
  });
}
