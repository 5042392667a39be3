/**
 * `npm start` of either site: read the environment, build the app, listen, print where to go and how
 * to sign in, and shut down cleanly on SIGTERM or SIGINT.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describeDatabase, loadConfig } from './config';
import type { CreateApp } from './open-site';

/** Options of {@link serveSite}. */
export interface ServeSiteOptions {
  /** The site's own folder (its default data folder is `<siteDir>/.data`). */
  siteDir: string;
  /** The site's framework, for the start-up line ("Koa", "Express"). */
  framework: string;
  createApp: CreateApp;
}

/**
 * Starts the site from the environment. Never throws: a failed start prints why and exits with 1.
 */
export function serveSite(options: ServeSiteOptions): void {
  // A stray rejection (e.g. a dropped database connection) is logged, never a crash.
  process.on('unhandledRejection', (reason) => {
    console.error(`unhandled rejection: ${reason instanceof Error ? reason.message : String(reason)}`);
  });
  start(options).catch((error: unknown) => {
    console.error(`Could not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}

async function start(options: ServeSiteOptions): Promise<void> {
  const startedAt = process.hrtime.bigint();
  const config = loadConfig(process.env, { siteDir: options.siteDir });
  for (const warning of config.warnings) {
    console.warn(`\n!!! WARNING: ${warning}\n`);
  }
  const site = await options.createApp({ config });
  const server = createServer(site.listener).listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  const url = config.publicUrl.replace(`:${config.port}`, `:${port}`);
  const database = describeDatabase(config.database);
  const elapsedMs = Number(process.hrtime.bigint() - startedAt) / 1e6;
  console.log(
    `${config.issuer} client area (${options.framework}) listening on ${url} ` +
      `(${database}, sessions in ${site.sessionsIn}, ready in ${Math.round(elapsedMs)} ms)`,
  );
  if (site.context.appliedMigrations.length)
    console.log(`Applied migrations: ${site.context.appliedMigrations.join(', ')}`);
  if (site.seeded) console.log('Seeded the demo account owner, a sub-account, services and invoices.');
  if (site.demoLogins.length) {
    console.log(`\nOpen ${url}/login and sign in with a demo account:`);
    for (const demo of site.demoLogins)
      console.log(`  ${demo.label.padEnd(14)} ${demo.email.padEnd(20)} password: ${demo.password}`);
    console.log('');
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: shutting down`);
    server.close();
    server.closeAllConnections();
    site.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
