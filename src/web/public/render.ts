import type { FastifyReply } from 'fastify';
import { renderView } from '../view-engine';

export const HTML = 'text/html; charset=utf-8';

/**
 * A public page: a template under views/public/ in the public layout, rendered through the one
 * view environment. Public pages touch no session, so they are cacheable like any HTML page.
 */
export function sendPublicPage(
  reply: FastifyReply,
  template: string,
  context: Record<string, unknown>,
  status = 200,
): FastifyReply {
  return reply.status(status).type(HTML).send(renderPublicPage(template, context));
}

/** A public page as a string (the briefing, which is also printed to PDF). */
export function renderPublicPage(template: string, context: Record<string, unknown>): string {
  return renderView(`public/${template}`, context);
}

/** The "page not found" page for a browser (the exception filter sends it with status 404). */
export function notFoundPage(path: string): string {
  return renderView('public/not-found.njk', { path: readable(path) });
}

/** The path as a person typed it (percent-decoding); the template escapes it like any other text. */
function readable(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
