/**
 * What the site's routes read from an Express request: JSON or HTML, the session, the signed-in
 * user, the CSRF token.
 */
import { clientAddress, signedInUser } from '@secondfactor/example-billing-shared';
import type { PageRequest, SessionData, SignInFacts, SiteRequest, User } from '@secondfactor/example-billing-shared';
import { wantsJson as wantsJsonRequest } from '@secondfactor/web';
import type { Request } from 'express';

/** What `createApp` keeps in `app.locals` for every request. */
export interface SiteLocals {
  /** The brand in the layout (the configured issuer). */
  siteName: string;
  /** The site's clock: the 2FA service's. */
  clock: () => Date;
}

/**
 * Whether the client wants JSON: @secondfactor/web's negotiation, so the site and its 2FA routes agree.
 */
export function wantsJson(req: Request): boolean {
  return wantsJsonRequest({ accept: req.get('accept') ?? '', contentType: req.get('content-type') ?? '' });
}

function locals(req: Request): SiteLocals {
  return req.app.locals as SiteLocals;
}

/**
 * What the request knows about its sign-in, at the site's clock.
 */
export function signInFacts(req: Request): SignInFacts {
  return {
    authenticated: req.isAuthenticated(),
    user: req.user,
    session: (req.session as unknown as SessionData | undefined) ?? null,
    now: locals(req).clock(),
  };
}

/**
 * The fully signed-in user: Passport has a user and no second step is pending (S20). Null otherwise.
 */
export function currentUser(req: Request): User | null {
  return signedInUser(signInFacts(req));
}

/**
 * The CSRF token for forms and JSON clients: csrf-sync's, kept in the session.
 */
export function csrfToken(req: Request): string {
  return req.session && req.csrfToken ? req.csrfToken() : '';
}

/**
 * What the layout needs to know about this request.
 */
export function pageRequest(req: Request): PageRequest {
  return {
    siteName: locals(req).siteName,
    user: currentUser(req),
    csrfToken: csrfToken(req),
    session: (req.session as unknown as SessionData | undefined) ?? null,
  };
}

/**
 * The neutral request the shared route decisions take.
 */
export function siteRequest(req: Request): SiteRequest {
  return {
    json: wantsJson(req),
    body: (req.body as Record<string, unknown> | undefined) ?? {},
    csrfToken: csrfToken(req),
    user: currentUser(req),
    session: (req.session as unknown as SessionData | undefined) ?? null,
    ip: clientAddress(req.ip),
    userAgent: req.get('user-agent') || undefined,
    sessionId: req.sessionID || undefined,
  };
}
