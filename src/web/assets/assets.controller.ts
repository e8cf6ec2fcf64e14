import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Public } from '../../auth/public.decorator';
import { projectRoot } from '../../common/paths';
import { govukDir } from '../view-engine';

let css: string | undefined;

/**
 * The staff pages' stylesheet: built by `npm run build` (dist/web/manage.css). Running from
 * source without a build (the tests), it is compiled once here with the dev dependency sass.
 */
export function stylesheet(): string {
  if (css !== undefined) return css;
  const built = join(projectRoot(), 'dist', 'web', 'manage.css');
  if (existsSync(built)) css = readFileSync(built, 'utf8');
  else {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const sass = require('sass') as typeof import('sass');
    css = sass.compile(join(projectRoot(), 'src', 'web', 'styles', 'manage.scss'), {
      loadPaths: [join(projectRoot(), 'node_modules')],
      style: 'compressed',
      silenceDeprecations: ['import'],
    }).css;
  }
  return css;
}

const files = new Map<string, string>();
const read = (path: string) => {
  if (!files.has(path)) files.set(path, readFileSync(path, 'utf8'));
  return files.get(path)!;
};

/** Static files of the staff pages, public (they hold nothing private). No session is touched. */
@ApiExcludeController()
@Controller('manage/assets')
export class AssetsController {
  @Get('manage.css')
  @Public()
  css(@Res() reply: FastifyReply) {
    return reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(stylesheet());
  }

  @Get('govuk-frontend.min.js')
  @Public()
  govuk(@Res() reply: FastifyReply) {
    return reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(read(join(govukDir(), 'govuk', 'govuk-frontend.min.js')));
  }

  @Get('init.js')
  @Public()
  init(@Res() reply: FastifyReply) {
    return reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(read(join(projectRoot(), 'src', 'web', 'assets', 'init.js')));
  }
}
