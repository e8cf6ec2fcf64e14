import type { Type } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { IS_PUBLIC } from './public.decorator';
import { Role, ROLES_KEY } from './roles.decorator';
import { SESSION_AUTH } from './session-auth.decorator';

/**
 * What a route's decorators say about access, read the one way: the handler's decorator wins
 * over its controller's. The auth guard decides from this, and the OpenAPI document declares
 * its security from this, so the two cannot disagree.
 */
export interface AccessMetadata {
  /** @Public(): no credential needed (a signed-in caller is still recognised). */
  isPublic: boolean;
  /** @Roles(...): who may call it (admin always may); undefined when the route has no rule. */
  roles: Role[] | undefined;
  /** @SessionAuth(): the staff pages' browser session instead of a bearer token. */
  viaSession: boolean;
}

// Function: what ExecutionContext.getHandler() and Reflector speak.
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export function accessMetadata(reflector: Reflector, handler: Function, controller: Type<unknown>): AccessMetadata {
  const targets = [handler, controller];
  return {
    isPublic: reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets) === true,
    roles: reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets),
    viaSession: reflector.getAllAndOverride<boolean>(SESSION_AUTH, targets) === true,
  };
}
