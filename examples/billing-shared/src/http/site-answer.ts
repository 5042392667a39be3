/**
 * The neutral request and answer of the sites' own routes (login, registration, client area,
 * Security Settings, sub-accounts): each route's decisions are written once, in this folder, and
 * each site's framework routes only translate, as @secondfactor/koa and @secondfactor/express do
 * for the 2FA routes.
 */
import type { User } from '../db/entities/user.entity';
import type { SessionData } from './flash';
import type { SitePage } from './site-page';

/** What a route needs to know about its request, whatever the framework. */
export interface SiteRequest {
  /** Whether the client wants JSON (@secondfactor/web's negotiation). */
  json: boolean;
  /** The parsed body, always an object (see `objectBody`). */
  body: Record<string, unknown>;
  /** The session's CSRF token, for the forms of a page. */
  csrfToken: string;
  /** The fully signed-in user, or null (S20). */
  user: User | null;
  /** The session, for flash messages; null once destroyed. */
  session: SessionData | null;
  /** The client address, checked with `net.isIP` (one trusted proxy hop at most), for throttles and events. */
  ip?: string;
  /** The User-Agent, for events and the session list. */
  userAgent?: string;
  /** The session's id (`ctx.session.externalKey`, `req.sessionID`), to mark the current session (S33). */
  sessionId?: string;
}

/** What a route answers; the framework's `send` writes it. */
export type SiteAnswer =
  | { kind: 'json'; status: number; body: unknown; noStore?: boolean }
  | { kind: 'page'; page: SitePage }
  | { kind: 'redirect'; location: string };

/**
 * A JSON answer.
 */
export function json(body: unknown, status = 200, noStore = false): SiteAnswer {
  return { kind: 'json', status, body, noStore };
}

/**
 * An HTML page in the site layout.
 */
export function page(sitePage: SitePage): SiteAnswer {
  return { kind: 'page', page: sitePage };
}

/**
 * A redirect (302) to a local path.
 */
export function redirect(location: string): SiteAnswer {
  return { kind: 'redirect', location };
}

/**
 * The name and email of a form that failed, to show again (never the password).
 */
export function formValues(body: Record<string, unknown>): { name: string; email: string } {
  return {
    name: typeof body.name === 'string' ? body.name : '',
    email: typeof body.email === 'string' ? body.email : '',
  };
}
