/**
 * The site process of parts 3–5, forked by the bench with an IPC channel. It builds the example
 * with `createApp` (the same build `npm start` runs) and adds only what the bench needs:
 *
 * - mode `guard`: four instances of the site in this one process, the second with the
 *   second-factor guard taken out of the `GET /clientarea` route (same router, same handler), the
 *   third with the step-up guard (`requireRecentSecondFactor`, S35) in its place, the fourth a
 *   twin of the second (an A/A control);
 * - mode `verify`: one instance, plus bench-only routes mounted right before the router of the
 *   site's own second step (so after the session, CSRF and Passport middleware and the site's
 *   other routers): `GET /__bench/pending` (the state the password step leaves, without paying
 *   for a password hash per verification) and `POST /__bench/legacy/two-factor`, the baseline
 *   second step on the old passport-totp strategy (notp, plaintext secret, no replay check, no
 *   throttling), and `POST /__bench/otplib/two-factor`, the like-for-like peer: otplib 13 with its
 *   node crypto plugin, replay-safe the way otplib's documentation shows (read the secret and the
 *   last time step, verify with `afterTimeStep`, store the new step), written as a plain
 *   read-then-write. A TypeORM logger counts every SQL statement.
 *
 * Messages from the parent: `{ type: 'stats' | 'memory' | 'reset' | 'capture-start' | 'capture-stop' |
 * 'capture-parameters-start' | 'capture-parameters-stop' | 'stop' }`. The parameters captured in
 * the last mode go to the parent only, which EXPLAINs the statements with them and never prints them.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { resolve } from 'node:path';
import { NodeCryptoPlugin } from '@otplib/plugin-crypto-node';
import Router from '@koa/router';
import { base32Decode } from '@secondfactor/core';
import { clearPendingSecondFactor, getPendingSecondFactor, setPendingSecondFactor } from '@secondfactor/passport-totp';
import type Koa from 'koa';
import koaPassport from 'koa-passport';
import { Router as expressRouter, type Express, type Router as ExpressRouter } from 'express';
import { verify as otplibVerify } from 'otplib';
import { Strategy as LegacyTotpStrategy } from 'passport-totp';
import { createApp, createExpressApp, EXAMPLE, loadConfig, passwordFingerprint, type BillingSite } from './example';
import { StatementCounter } from './statement-counter';

/** The Koa billing site's folder (its default data folder; the bench sets DATA_DIR anyway). */
const SITE_DIR = resolve(__dirname, '..', '..', '..', 'examples', 'billing-site');

type Message = {
  type:
    | 'stats'
    | 'memory'
    | 'reset'
    | 'capture-start'
    | 'capture-stop'
    | 'capture-parameters-start'
    | 'capture-parameters-stop'
    | 'stop';
  id: number;
};

const mode = process.env.BENCH_SITE_MODE;
const benchToken = process.env.BENCH_TOKEN ?? '';
const send = (message: unknown): void => {
  process.send?.(message);
};

interface RouterLayer {
  path: string;
  methods: string[];
  stack: unknown[];
}
interface RouterLike {
  stack: RouterLayer[];
}

function routersOf(app: Koa): Array<{ index: number; router: RouterLike }> {
  return app.middleware
    .map((fn, index) => ({ index, router: (fn as unknown as { router?: RouterLike }).router }))
    .filter((entry): entry is { index: number; router: RouterLike } => entry.router !== undefined);
}

/**
 * Takes the guard out of the one `GET path` layer, or puts `replacement` in its place, leaving the
 * handler and everything else as built.
 */
function replaceGuard(app: Koa, path: string, guard: unknown, replacement?: unknown): void {
  const layers = routersOf(app).flatMap(({ router }) =>
    router.stack.filter((layer) => layer.path === path && layer.methods.includes('GET')),
  );
  const guarded = layers.filter((layer) => layer.stack.includes(guard));
  if (layers.length !== 1 || guarded.length !== 1) {
    throw new Error(
      `bench: expected one GET ${path} route with the second-factor guard, found ${layers.length} route(s), ${guarded.length} guarded; update test/bench/site/bench-site.ts.`,
    );
  }
  guarded[0].stack = guarded[0].stack.flatMap((fn) => (fn !== guard ? [fn] : replacement ? [replacement] : []));
}

/**
 * Inserts middleware right before the router that serves the site's own second step, so a
 * baseline request passes through exactly the middleware and routers ours passes through
 * (session, body parser, CSRF, Passport, and the site's other routers) and no more.
 */
function mountBeside(app: Koa, path: string, middleware: Koa.Middleware): void {
  const challenge = routersOf(app).find(({ router }) =>
    router.stack.some((layer) => layer.path === path && layer.methods.includes('POST')),
  );
  if (!challenge) throw new Error(`bench: the site has no POST ${path} route; update test/bench/site/bench-site.ts.`);
  app.middleware.splice(challenge.index, 0, middleware);
}

async function listen(app: Koa): Promise<Server> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  server.keepAliveTimeout = 60_000;
  return server;
}

function benchRoutes(site: BillingSite, passwordHashOfAll: string): Koa.Middleware {
  const router = new Router({ prefix: '/__bench' });
  const fingerprint = passwordFingerprint(passwordHashOfAll);
  // What completePasswordStep leaves in the session when 2FA is on: only a pending second factor
  // (S20, S22). It skips the password, so only the bench, holding the token, may call it.
  router.get('/pending', async (ctx) => {
    if (!benchToken || ctx.get('x-bench-token') !== benchToken) ctx.throw(404);
    const userId = String(ctx.query.userId ?? '');
    if (!/^\d+$/.test(userId)) ctx.throw(400, 'userId');
    const session = ctx.session as unknown as Record<string, unknown>;
    delete session.passport;
    setPendingSecondFactor(session, { userId, fingerprint });
    ctx.body = { csrfToken: String(ctx.state._csrf ?? '') };
  });

  // The baseline: a passport-totp 0.0.2 app's second step. Its `setup` reads the plaintext secret
  // (one SELECT) and notp checks the code with window 1; nothing records the step or counts failures.
  const legacy = new koaPassport.KoaPassport();
  const legacySelect =
    site.context.dataSource.options.type === 'postgres'
      ? 'SELECT secret FROM bench_legacy_totp_secrets WHERE user_id = $1'
      : 'SELECT secret FROM bench_legacy_totp_secrets WHERE user_id = ?';
  legacy.use(
    'legacy-totp',
    new LegacyTotpStrategy({ window: 1 }, (user, done) => {
      const id = String((user as { id: number }).id);
      site.context.dataSource
        .query(legacySelect, [id])
        .then(
          (rows: Array<{ secret: string }>) =>
            rows.length === 1
              ? done(null, base32Decode(rows[0].secret) as Buffer, 30)
              : done(new Error('no legacy secret')),
          done,
        );
    }),
  );
  router.post('/legacy/two-factor', async (ctx, next) => {
    const session = ctx.session as unknown as Record<string, unknown>;
    const pending = getPendingSecondFactor(session);
    if (!pending) {
      ctx.status = 401;
      ctx.body = { error: { code: 'NO_PENDING_LOGIN' } };
      return;
    }
    // A passport-totp app has the user from deserializeUser; this is that one user lookup.
    const user = await site.context.accounts.findById(pending.userId);
    if (!user) ctx.throw(401);
    ctx.state.user = user;
    await legacy.authenticate('legacy-totp', async (error: unknown, authenticated: unknown) => {
      if (error) throw error;
      if (!authenticated) {
        ctx.status = 401;
        ctx.body = { error: { code: 'INVALID_CODE' } };
        return;
      }
      // The same sign-in completion as ours: drop the pending state, log in (passport regenerates the session).
      clearPendingSecondFactor(session);
      await (ctx as unknown as { login(user: unknown): Promise<void> }).login(user);
      ctx.body = { status: 'authenticated' };
    })(ctx, next);
  });

  // The peer: the replay-safe flow otplib's documentation gives, as a typical app writes it. It
  // reads, checks and writes in three separate steps with nothing making them atomic, and it does
  // not encrypt, throttle or audit.
  const postgres = site.context.dataSource.options.type === 'postgres';
  const peerSelect = `SELECT secret, last_step FROM bench_otplib_totp WHERE user_id = ${postgres ? '$1' : '?'}`;
  const peerUpdate = `UPDATE bench_otplib_totp SET last_step = ${postgres ? '$1' : '?'} WHERE user_id = ${postgres ? '$2' : '?'}`;
  const nodeCrypto = new NodeCryptoPlugin();
  router.post('/otplib/two-factor', async (ctx) => {
    const session = ctx.session as unknown as Record<string, unknown>;
    const pending = getPendingSecondFactor(session);
    if (!pending) {
      ctx.status = 401;
      ctx.body = { error: { code: 'NO_PENDING_LOGIN' } };
      return;
    }
    const user = await site.context.accounts.findById(pending.userId);
    if (!user) return ctx.throw(401);
    const token = String((ctx.request as unknown as { body?: { code?: unknown } }).body?.code ?? '');
    const rows = (await site.context.dataSource.query(peerSelect, [String(user.id)])) as Array<{
      secret: string;
      last_step: number | string | null;
    }>;
    const lastStep =
      rows[0]?.last_step === null || rows[0]?.last_step === undefined ? undefined : Number(rows[0].last_step);
    const result = rows.length
      ? await otplibVerify({
          secret: rows[0].secret,
          token,
          epochTolerance: 30,
          crypto: nodeCrypto,
          afterTimeStep: lastStep,
        })
      : { valid: false as const };
    if (!result.valid) {
      ctx.status = 401;
      ctx.body = { error: { code: 'INVALID_CODE' } };
      return;
    }
    // otplib's TOTP result carries the matched step (its top-level type does not say so).
    const matchedStep = (result as { timeStep?: number }).timeStep;
    if (matchedStep === undefined) throw new Error('bench: otplib returned no timeStep');
    await site.context.dataSource.query(peerUpdate, [matchedStep, String(user.id)]);
    clearPendingSecondFactor(session);
    await (ctx as unknown as { login(user: unknown): Promise<void> }).login(user);
    ctx.body = { status: 'authenticated' };
  });
  return router.routes() as unknown as Koa.Middleware;
}

interface ExpressLayer {
  handle: { stack?: Array<{ route?: { path?: string; methods?: Record<string, boolean> } }> };
}

/**
 * The Express twin of {@link mountBeside}: the bench's routes go into the app's router right before
 * the router that serves the site's own second step, after the session, body, CSRF and Passport
 * middleware and the site's other routers.
 */
function mountBesideExpress(app: Express, path: string, router: ExpressRouter): void {
  const stack = (app as unknown as { router: { stack: ExpressLayer[] } }).router.stack;
  const index = stack.findIndex((layer) =>
    (layer.handle.stack ?? []).some((inner) => inner.route?.path === path && inner.route.methods?.post),
  );
  if (index < 0)
    throw new Error(`bench: the Express site has no POST ${path} route; update test/bench/site/bench-site.ts.`);
  app.use(router);
  const added = stack.pop() as ExpressLayer;
  stack.splice(index, 0, added);
}

/** The Express site's `GET /__bench/pending`: what its password step leaves, as for the Koa site. */
function expressBenchRoutes(passwordHashOfAll: string): ExpressRouter {
  const router = expressRouter();
  const fingerprint = passwordFingerprint(passwordHashOfAll);
  router.get('/__bench/pending', (req, res, next) => {
    if (!benchToken || req.get('x-bench-token') !== benchToken) return next();
    const userId = String(req.query.userId ?? '');
    if (!/^\d+$/.test(userId)) return void res.status(400).json({ error: 'userId' });
    const session = (req as unknown as { session: Record<string, unknown> }).session;
    delete session.passport;
    setPendingSecondFactor(session, { userId, fingerprint });
    const withToken = req as unknown as { csrfToken?: () => string };
    res.json({ csrfToken: withToken.csrfToken?.() ?? '' });
  });
  return router;
}

async function main(): Promise<void> {
  const config = loadConfig(process.env, { siteDir: SITE_DIR });
  const quiet = (): void => undefined;
  const servers: Server[] = [];
  const sites: Array<{ close(): Promise<void> }> = [];
  const counter = new StatementCounter();
  const guardCounters = [
    new StatementCounter(),
    new StatementCounter(),
    new StatementCounter(),
    new StatementCounter(),
  ];

  if (mode === 'guard') {
    const guarded = await createApp({ config, log: quiet });
    const unguarded = await createApp({ config, log: quiet });
    // The third serves the page behind the step-up guard (S35) instead, on a session that needs no step-up.
    const stepUp = await createApp({ config, log: quiet });
    // The fourth is the second one again (no guard): an A/A control whose gap is the method's own noise.
    const twin = await createApp({ config, log: quiet });
    replaceGuard(unguarded.app, EXAMPLE.clientArea, unguarded.requireSignedIn);
    replaceGuard(stepUp.app, EXAMPLE.clientArea, stepUp.requireSignedIn, stepUp.requireRecentStepUp);
    replaceGuard(twin.app, EXAMPLE.clientArea, twin.requireSignedIn);
    const instances = [guarded, unguarded, stepUp, twin];
    instances.forEach((instance, i) => instance.context.dataSource.setOptions({ logger: guardCounters[i] }));
    sites.push(...instances);
    for (const instance of instances) servers.push(await listen(instance.app));
    const portOf = (i: number): number => (servers[i].address() as AddressInfo).port;
    send({
      type: 'ready',
      ports: { withGuard: portOf(0), withoutGuard: portOf(1), withStepUpGuard: portOf(2), withoutGuardTwin: portOf(3) },
    });
  } else if (mode === 'verify') {
    const site = await createApp({ config, log: quiet });
    site.context.dataSource.setOptions({ logger: counter });
    mountBeside(site.app, EXAMPLE.challenge, benchRoutes(site, process.env.BENCH_PASSWORD_HASH ?? ''));
    sites.push(site);
    servers.push(await listen(site.app));
    send({ type: 'ready', ports: { site: (servers[0].address() as AddressInfo).port } });
  } else if (mode === 'verify-express') {
    // The Express example on the same database, with the same bench session route; no baselines.
    const site = await createExpressApp({ config, log: quiet });
    site.context.dataSource.setOptions({ logger: counter });
    mountBesideExpress(site.app, EXAMPLE.challenge, expressBenchRoutes(process.env.BENCH_PASSWORD_HASH ?? ''));
    sites.push(site);
    const server = site.app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    server.keepAliveTimeout = 60_000;
    servers.push(server);
    send({ type: 'ready', ports: { site: (server.address() as AddressInfo).port } });
  } else {
    throw new Error(`bench-site: unknown BENCH_SITE_MODE "${mode}"`);
  }

  process.on('message', (message: Message) => {
    switch (message.type) {
      case 'stats': {
        const memory = process.memoryUsage();
        const cpu = process.cpuUsage();
        send({
          type: 'stats',
          id: message.id,
          rss: memory.rss,
          heapUsed: memory.heapUsed,
          cpuMicros: cpu.user + cpu.system,
          statements: counter.snapshot(),
          guardStatements: guardCounters.map((c) => c.snapshot()),
        });
        break;
      }
      case 'memory': {
        // RSS as the OS sees it, then the heap that survives a full collection (what is really retained).
        const rss = process.memoryUsage().rss;
        const heapUsed = process.memoryUsage().heapUsed;
        (globalThis as { gc?: () => void }).gc?.();
        send({
          type: 'memory',
          id: message.id,
          rss,
          heapUsed,
          heapAfterGc: process.memoryUsage().heapUsed,
          gc: typeof (globalThis as { gc?: unknown }).gc === 'function',
        });
        break;
      }
      case 'reset':
        counter.reset();
        for (const c of guardCounters) c.reset();
        send({ type: 'ok', id: message.id });
        break;
      case 'capture-start':
        counter.startCapture();
        send({ type: 'ok', id: message.id });
        break;
      case 'capture-stop':
        send({ type: 'captured', id: message.id, statements: counter.stopCapture() });
        break;
      case 'capture-parameters-start':
        counter.startCaptureWithParameters();
        send({ type: 'ok', id: message.id });
        break;
      case 'capture-parameters-stop':
        send({ type: 'captured', id: message.id, statements: counter.stopCaptureWithParameters() });
        break;
      case 'stop':
        for (const server of servers) {
          server.close();
          server.closeAllConnections();
        }
        Promise.all(sites.map((s) => s.close())).finally(() => {
          send({ type: 'ok', id: message.id });
          process.exit(0);
        });
        break;
    }
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
