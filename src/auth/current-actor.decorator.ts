import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { Actor } from './actor';

/** The signed-in user (set by the auth guard), or an anonymous actor where no guard ran. */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const req = ctx.switchToHttp().getRequest<{ actor?: Actor }>();
  return req.actor ?? { userId: null, name: 'anonymous', role: 'anonymous' };
});
