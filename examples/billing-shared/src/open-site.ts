/**
 * What both example apps do before a web framework is involved: open the database (migrations
 * included), seed the demo data, and open the session store. Each site's `createApp` then adds only
 * its framework's wiring, and answers a {@link BuiltSite}.
 */
import type { RequestListener } from 'node:http';
import type { SiteConfig } from './config';
import { activeDemoAccounts, seedDemoData, type DemoAccount } from './db/demo-data';
import { openSiteContext, type OpenSiteContextOptions, type SiteContext } from './services/site-context';
import { openSiteSessions, type SiteSessions } from './services/site-sessions';

/**
 * Options of a site's `createApp`: the configuration, and for tests the log sink, the clock (the 2FA
 * service reads it, and every other part reads the service's) and a lower scrypt cost.
 */
export interface CreateAppOptions extends OpenSiteContextOptions {
  config: SiteConfig;
}

/** A site built and ready to listen, whatever its framework. */
export interface BuiltSite {
  /** The app as a Node request listener: `http.createServer(site.listener)`. */
  listener: RequestListener;
  context: SiteContext;
  /** Demo logins that exist with their demo password (printed at start). */
  demoLogins: DemoAccount[];
  /** Whether this start seeded the demo data. */
  seeded: boolean;
  /** Where the sessions live, for the start-up line. */
  sessionsIn: string;
  /** Closes the session store, the mailer and the database. */
  close(): Promise<void>;
}

/** A site's `createApp`. */
export type CreateApp = (options: CreateAppOptions) => Promise<BuiltSite>;

/** What {@link openSite} opened: everything but the web framework. */
export interface OpenedSite {
  context: SiteContext;
  sessions: SiteSessions;
  demoLogins: DemoAccount[];
  seeded: boolean;
  /** Closes the session store, then the context. */
  close(): Promise<void>;
}

/**
 * The {@link BuiltSite} of an opened site once its framework's app is built.
 */
export function builtSite(opened: OpenedSite, listener: RequestListener): BuiltSite {
  return {
    listener,
    context: opened.context,
    demoLogins: opened.demoLogins,
    seeded: opened.seeded,
    sessionsIn: opened.sessions.where,
    close: () => opened.close(),
  };
}

/**
 * Connects the database, runs the migrations, seeds the demo data (when configured) and opens the
 * session store. If any of it fails, what was opened is closed again.
 */
export async function openSite(options: CreateAppOptions): Promise<OpenedSite> {
  const { config } = options;
  const context = await openSiteContext(config, options);
  try {
    const seeded = config.seedDemo ? await seedDemoData(context.dataSource, context.accounts) : false;
    const demoLogins = config.seedDemo ? await activeDemoAccounts(context.accounts) : [];
    const sessions = await openSiteSessions(context);
    return {
      context,
      sessions,
      demoLogins,
      seeded,
      async close() {
        await sessions.close();
        await context.close();
      },
    };
  } catch (error) {
    await context.close().catch(() => undefined);
    throw error;
  }
}
