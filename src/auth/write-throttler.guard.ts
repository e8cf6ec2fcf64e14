import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { isWriteMethod } from './auth.guard';

/** Throttles writes only (WRITE_RATE_LIMIT per minute over all write routes), per signed-in user, else per address. */
@Injectable()
export class WriteThrottlerGuard extends ThrottlerGuard {
  protected async shouldSkip(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const req = ctx.switchToHttp().getRequest<{ method: string }>();
    return !isWriteMethod(req.method);
  }

  /** One budget per client across every write route (the library's default key is per route). */
  protected generateKey(_ctx: ExecutionContext, tracker: string, throttlerName: string): string {
    return `${throttlerName}:${tracker}`;
  }

  protected async getTracker(req: Record<string, any>): Promise<string> {
    const actor = req.actor as { userId: number | null } | undefined;
    return actor?.userId ? `user:${actor.userId}` : `ip:${String(req.ip)}`;
  }
}
