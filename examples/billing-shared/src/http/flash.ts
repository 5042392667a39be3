/** Flash messages: a one-time message for the next page (post/redirect/get), kept in the session. */
import type { Flash } from '../views/layout';

/** A session object as koa-session and express-session hand it over. */
export type SessionData = Record<string, unknown>;

/**
 * Stores a message for the next page.
 */
export function setFlash(session: SessionData | null | undefined, flash: Flash): void {
  if (session) session.flash = flash;
}

/**
 * Reads and clears the flash message; anything that is not a well-formed message is dropped.
 */
export function takeFlash(session: SessionData | null | undefined): Flash | null {
  const flash = session?.flash as Flash | undefined;
  if (!session || !flash) return null;
  delete session.flash;
  return typeof flash.text === 'string' && ['success', 'info', 'error'].includes(flash.kind) ? flash : null;
}
