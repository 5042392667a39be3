/**
 * A page of the site before its frame: what a route shows. The layout adds the navigation, the user
 * menu and the flash message.
 */
import type { User } from '../db/entities/user.entity';
import type { SafeHtml } from '../views/html';
import { renderLayout, type NavSection } from '../views/layout';
import { takeFlash, type SessionData } from './flash';

/** What a route shows: a title, the content, the current navigation entry, and a status other than 200. */
export interface SitePage {
  title: string;
  body: SafeHtml | string;
  active?: NavSection;
  status?: number;
  /** The 2FA policy's grace deadline of the signed-in user, for the banner (S36). */
  enrollmentRequiredBy?: Date;
}

/** What the frame needs to know about the request. */
export interface PageRequest {
  /** The brand in the navigation bar and the title (the configured issuer). */
  siteName: string;
  /** The fully signed-in user, or null. */
  user: User | null;
  /** For the logout form. */
  csrfToken: string;
  /** The session, to take the flash message from; null once destroyed. */
  session: SessionData | null;
}

/**
 * The whole HTML page: the page in the site layout. Takes (and clears) the flash message.
 */
export function renderSitePage(request: PageRequest, page: Omit<SitePage, 'status'>): string {
  const { user } = request;
  return renderLayout({
    siteName: request.siteName,
    title: page.title,
    body: page.body,
    user: user ? { name: user.name, isSubAccount: user.parentId !== null } : null,
    csrfToken: request.csrfToken,
    flash: takeFlash(request.session),
    active: page.active,
    enrollmentRequiredBy: page.enrollmentRequiredBy,
  });
}
