import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import type { SessionStore } from '@secondfactor/sessions';
import { koaSessionStore } from '@secondfactor/sessions/koa';
import { sessionEntities, sessionMigrations, TypeOrmSessionStore } from '@secondfactor/sessions/typeorm';
import Koa from 'koa';
import koaPassport from 'koa-passport';
import session from 'koa-session';
import { Strategy as LocalStrategy } from 'passport-local';
import { DataSource } from 'typeorm';

/** The app's own users: it keeps its table and its password check. */
export interface Users {
  verify(email: string, password: string): Promise<{ id: number } | null>;
}

/** The app's DataSource, with the session table beside its own entities. */
export function createDataSource(url: string): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: [/* your entities, */ ...sessionEntities],
    migrations: [/* your migrations, */ ...sessionMigrations],
  });
}

/** Sessions in the app's database: 30 minutes idle, 12 hours at most (S33). */
export async function openSessions(dataSource: DataSource): Promise<TypeOrmSessionStore> {
  await dataSource.runMigrations();
  return new TypeOrmSessionStore(dataSource, { lifetime: { idleMinutes: 30, maxHours: 12 } });
}

/** A Koa app whose sessions live in `sessions`, with the session list and revocation routes. */
export function createApp(options: { sessions: SessionStore; users: Users; keys: string[] }): Koa {
  const { sessions, users } = options;
  const passport = new koaPassport.KoaPassport();
  passport.use(
    new LocalStrategy({ usernameField: 'email' }, (email, password, done) => {
      users.verify(email, password).then((user) => done(null, user ?? false), done);
    }),
  );
  passport.serializeUser((user, done) => done(null, (user as { id: number }).id));
  passport.deserializeUser((id: number, done) => done(null, { id }));

  const app = new Koa();
  app.keys = options.keys;
  // A browser-session cookie; the store ends the session when it is idle or too old.
  app.use(session({ key: 'app.sid', store: koaSessionStore(sessions), maxAge: 'session', sameSite: 'lax' }, app));
  app.use(bodyParser());
  // Your CSRF middleware (koa-csrf) goes here: the routes below change state.
  app.use(passport.initialize());
  app.use(passport.session());

  const router = new Router();
  // passport 0.7 regenerates the session on login: the old id is destroyed in the store.
  router.post('/login', passport.authenticate('local'), (ctx) => {
    ctx.body = { status: 'authenticated' };
  });
  router.post('/logout', async (ctx) => {
    await ctx.logout();
    ctx.body = { status: 'signed-out' };
  });

  const account = new Router({ prefix: '/account' });
  account.use(async (ctx, next) => {
    if (!ctx.isAuthenticated()) ctx.throw(401);
    await next();
  });
  const userId = (ctx: Koa.Context) => (ctx.state.user as { id: number }).id;
  account.get('/sessions', async (ctx) => {
    const current = ctx.session?.externalKey;
    ctx.body = { sessions: await sessions.listSessions(userId(ctx), { currentSessionId: current }) };
  });
  account.post('/sessions/revoke-others', async (ctx) => {
    ctx.body = { revoked: await sessions.revokeOtherSessions(userId(ctx), ctx.session!.externalKey!) };
  });
  account.post('/sessions/:id/revoke', async (ctx) => {
    if (!(await sessions.revokeSession(userId(ctx), ctx.params.id))) ctx.throw(404);
    ctx.status = 204;
  });

  app.use(router.routes()).use(account.routes());
  return app;
}
