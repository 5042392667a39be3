/** Sign-in routes: login (password step), registration, logout and the session probe. */
import {
  AccountEventType,
  loginForm,
  passwordLogin,
  registerForm,
  registration,
  sessionCookieName,
  sessionProbeWithPolicy,
  signedOut,
} from '@secondfactor/example-billing-shared';
import { Router, type Request, type Response } from 'express';
import { csrfToken, currentUser, signInFacts, siteRequest, wantsJson } from '../middleware/request-context';
import { send } from '../middleware/send';
import { wrongMethod } from '../middleware/wrong-method';
import { signInSteps } from '../services/sign-in';
import type { RouteDependencies } from './dependencies';

/**
 * `GET /`, `GET|POST /login`, `GET|POST /register`, `POST /logout`, `GET /session`.
 */
export function authRoutes(deps: RouteDependencies): Router {
  const { site, passport, demoLogins } = deps;
  const steps = (req: Request, res: Response) => signInSteps(req, res, passport, deps.beginSecondFactor);
  const router = Router();

  router.get('/', (req, res) => res.redirect(currentUser(req) ? '/clientarea' : '/login'));
  router
    .route('/session')
    .get(async (req, res) => {
      // S36: the probe also says whether the 2FA policy leaves this user only enrollment, and by when.
      res.set('Cache-Control', 'no-store').json(await sessionProbeWithPolicy(signInFacts(req), csrfToken(req), site));
    })
    .all(wrongMethod);
  router
    .route('/login')
    .get((req, res) => send(req, res, loginForm(siteRequest(req), demoLogins)))
    .post(async (req, res) => send(req, res, await passwordLogin(siteRequest(req), demoLogins, steps(req, res), site)))
    .all(wrongMethod);
  router
    .route('/register')
    .get((req, res) => send(req, res, registerForm(siteRequest(req))))
    .post(deps.limitRegistrations, async (req, res) =>
      send(req, res, await registration(siteRequest(req), site, steps(req, res))),
    )
    .all(wrongMethod);
  router
    .route('/logout')
    .post(async (req, res, next) => {
      const request = siteRequest(req);
      if (request.user)
        await site.recordEvent({
          type: AccountEventType.Logout,
          userId: String(request.user.id),
          ip: request.ip,
          userAgent: request.userAgent,
        });
      // Destroying the session (store row and cookie) also drops a pending second factor and the CSRF token.
      req.session.destroy((error) => {
        if (error) return next(error);
        res.clearCookie(sessionCookieName(site.config.cookieSecure), { path: '/' });
        send(req, res, signedOut(wantsJson(req)));
      });
    })
    .all(wrongMethod);
  return router;
}
