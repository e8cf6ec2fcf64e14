import { applyDecorators, Controller, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SessionAuth } from '../auth/session-auth.decorator';
import { CsrfGuard } from './csrf.guard';
import { WebExceptionFilter } from './web-exception.filter';

/**
 * A controller of staff pages under /manage: the caller is the signed-in browser session,
 * every form post needs its CSRF token, and errors render as pages (signed out → the
 * sign-in page). Each route still carries @Roles(...) or @Public().
 */
export const StaffPages = (path = '') =>
  applyDecorators(
    Controller(path ? `manage/${path}` : 'manage'),
    ApiExcludeController(),
    SessionAuth(),
    UseGuards(CsrfGuard),
    UseFilters(WebExceptionFilter),
  );
