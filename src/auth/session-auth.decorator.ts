import { SetMetadata } from '@nestjs/common';

export const SESSION_AUTH = 'sessionAuth';
/**
 * Marks the staff pages: the caller is the user of the signed-in browser session (the
 * session's `userId`), never a bearer token. CSRF is checked by the web layer.
 */
export const SessionAuth = () => SetMetadata(SESSION_AUTH, true);

/** What the guard reads from a request's session (set by the web layer's session plugin). */
export interface SessionCarrier {
  session?: { userId?: number } | null;
}
