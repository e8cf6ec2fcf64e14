import nunjucks from 'nunjucks';
import { join } from 'node:path';
import { projectRoot } from '../common/paths';
import { addPublicFilters } from './public/public-filters';
import { addFilters } from './view-filters';

export const viewsDir = () => join(projectRoot(), 'src', 'web', 'views');
export const govukDir = () => join(projectRoot(), 'node_modules', 'govuk-frontend', 'dist');

/** The service's name in every page's title and header. */
export const SERVICE_NAME = 'Growth Deal tracker';

let env: nunjucks.Environment | undefined;

/**
 * The one Nunjucks environment every HTML page renders through: the staff pages (through
 * @fastify/view, which is handed this environment), the public pages, the HTML 404 page and the
 * briefing printed to PDF. Autoescaping is on; templates are read once and cached.
 */
export function viewEnvironment(): nunjucks.Environment {
  if (!env) {
    env = new nunjucks.Environment(new nunjucks.FileSystemLoader([viewsDir(), govukDir()], { noCache: false }), {
      autoescape: true,
      throwOnUndefined: false,
    });
    addFilters(env);
    addPublicFilters(env);
    env.addGlobal('serviceName', SERVICE_NAME);
  }
  return env;
}

/** A template rendered to a string (synchronous: the loader reads files, no async filters). */
export function renderView(template: string, context: Record<string, unknown>): string {
  return viewEnvironment().render(template, context);
}
