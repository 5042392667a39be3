/**
 * The framework-neutral core of the two-factor routes: validated options, the route table bound to
 * its flows, the guard, the embeddable section and the CSRF refusal. An adapter builds one at setup,
 * mounts `routes`, and only translates requests and responses.
 */
import { accessOf, guardRedirect, refusalResponse, type RequireSecondFactorOptions } from './access';
import { limitByAddress, type AddressThrottle } from './address-limit';
import { ConfigurationError } from '@secondfactor/core';
import { readBody } from './body';
import { enrollmentRefusal } from './enrollment-gate';
import { answerChallenge, showChallenge } from './challenge-flow';
import {
  beginEnrollment,
  confirmEnrollment,
  disableTwoFactor,
  regenerateBackupCodes,
  showStatus,
  type SignedInExchange,
} from './management-flow';
import { wantsJson } from './negotiate';
import { NO_STORE_HEADERS } from './no-store';
import { resolveOptions, type ResolvedOptions, type TwoFactorWebOptions } from './options';
import { completePasswordStep, type PasswordStepOutcome } from './password-step';
import { isFault, toProblem } from './problem';
import type { WebRequest } from './request';
import { problemResponse, type Exchange } from './respond';
import { jsonResponse, redirectResponse, type WebResponse } from './response';
import { ROUTE_TABLE, type RouteDefinition } from './route-table';
import { RouteError, RouteErrorCode } from './route-error';
import { renderSection } from './security-section';
import { answerStepUp, showStepUp } from './step-up-flow';
import { createStepUpGuard, staleStepUp, type RequireRecentSecondFactorOptions } from './step-up-guard';
import { revokeAllDevices, revokeDevice, showDevices } from './trusted-devices-flow';

/**
 * A row of the route table with its handler. The handler never throws: faults become a bare 500
 * (or 503) answer whose `fault` the adapter reports to the host's logger.
 *
 * @example
 * ```ts
 * for (const route of web.routes) router.register(route.path, [route.method], (ctx) => send(ctx, route.handle(toRequest(ctx))));
 * ```
 */
export interface WebRoute<N = unknown> extends RouteDefinition {
  handle(request: WebRequest<N>): Promise<WebResponse>;
}

/**
 * What {@link createTwoFactorWeb} returns.
 *
 * @example
 * ```ts
 * const web: TwoFactorWeb<Context> = createTwoFactorWeb(options);
 * ```
 */
export interface TwoFactorWeb<N = unknown> {
  /** The options after validation, with defaults applied. */
  readonly options: ResolvedOptions<N>;
  /** Both routers' routes (docs/architecture.md#http-contract). */
  readonly routes: readonly WebRoute<N>[];
  /**
   * A guard for the host's protected routes, from the one access decision: null lets the request
   * through; otherwise the answer (401 `TWO_FACTOR_REQUIRED` / `TWO_FACTOR_SIGN_IN_REQUIRED`, 403
   * `TWO_FACTOR_ENROLLMENT_REQUIRED` after the policy's grace deadline (S36), or a redirect). Bad
   * options throw here, at setup.
   */
  requireSecondFactor(options?: RequireSecondFactorOptions): (request: WebRequest<N>) => Promise<WebResponse | null>;
  /**
   * A guard for sensitive routes (S35): it refuses like {@link TwoFactorWeb.requireSecondFactor},
   * and also when the session's last verification is older than `maxAgeSeconds`: 401
   * `TWO_FACTOR_STEP_UP_REQUIRED` with `stepUpUrl` for JSON, a redirect to "Confirm it's you" for
   * browsers. Bad options throw here, at setup.
   */
  requireRecentSecondFactor(
    options?: RequireRecentSecondFactorOptions,
  ): (request: WebRequest<N>) => Promise<WebResponse | null>;
  /** The Two-Factor Authentication section for the host's Security Settings page ('' when not fully signed in). */
  renderSecuritySection(request: WebRequest<N>): Promise<string>;
  /** The answer to a refused CSRF token: 403 `TWO_FACTOR_CSRF`, in JSON or as the error page. */
  csrfFailure(request: WebRequest<N>): WebResponse;
  /**
   * The host's password step after a correct password: a pending login on a new session id when
   * 2FA is on, else signed in (S20–S23). Rejects on a store fault (fail closed).
   */
  passwordStep(request: WebRequest<N>, user: unknown): Promise<PasswordStepOutcome>;
  /**
   * The password step as an answer, for a host's `POST /login` after its password check: JSON
   * clients get `{ status }`, browsers a redirect to the challenge or to `successRedirect`. A store
   * fault is 503 `TWO_FACTOR_UNAVAILABLE` (fail closed); any other fault a bare 500.
   */
  passwordStepResponse(request: WebRequest<N>, user: unknown): Promise<WebResponse>;
  /**
   * A guard that limits a host route (e.g. `POST /register`) per client address with the password
   * throttle's address window (S32): null lets the request through; past the limit 429
   * `TOO_MANY_ATTEMPTS` with `Retry-After`, in JSON or as the error page. A store fault is 503.
   */
  limitAttemptsByAddress(throttle: AddressThrottle): (request: WebRequest<N>) => Promise<WebResponse | null>;
}

type Flow<N> = (exchange: SignedInExchange<N>) => Promise<WebResponse>;

function flows<N>(): Record<RouteDefinition['flow'], Flow<N>> {
  return {
    status: showStatus,
    enroll: beginEnrollment,
    confirm: confirmEnrollment,
    disable: disableTwoFactor,
    backupCodes: regenerateBackupCodes,
    stepUpForm: showStepUp,
    stepUp: answerStepUp,
    devices: showDevices,
    revokeDevice,
    revokeAllDevices,
    challengeForm: showChallenge,
    challenge: answerChallenge,
  };
}

function noStore(response: WebResponse): WebResponse {
  return { ...response, headers: { ...NO_STORE_HEADERS, ...response.headers } };
}

/** Runs one route: the sign-in gate (management), CSRF and the body (POST), then the flow. */
async function run<N>(route: RouteDefinition, flow: Flow<N>, exchange: Exchange<N>): Promise<WebResponse> {
  const { resolved, request } = exchange;
  let user: unknown;
  let userId = '';
  if (route.router === 'management') {
    const decision = await accessOf(exchange);
    if (!decision.allowed) {
      if (exchange.json) throw new RouteError(decision.code);
      return refusalResponse(exchange, decision, resolved.loginPath);
    }
    user = decision.user;
    userId = resolved.getUserId(user);
    // A sensitive management action (S35); a browser comes back to the management page, never to a POST.
    if (route.stepUp) {
      const stale = staleStepUp(exchange, resolved.stepUpMaxAgeSeconds, resolved.managementPrefix);
      if (stale) return stale;
    }
  }
  let body = {};
  if (route.method === 'POST') {
    // A host that forgot its CSRF middleware fails closed (S25).
    if (resolved.requireCsrf && !request.csrfToken) throw new RouteError(RouteErrorCode.Csrf);
    body = await readBody(request);
  }
  return flow({ ...exchange, user, userId, body });
}

function continueUrlFor<N>(resolved: ResolvedOptions<N>, path: string): string {
  if (path.startsWith(resolved.challengePrefix)) return resolved.challengePrefix;
  if (path.startsWith(resolved.managementPrefix)) return resolved.managementPrefix;
  return '/';
}

/**
 * Validates the options (bad ones throw a `ConfigurationError` here, at setup) and binds the
 * route table to its flows.
 *
 * @example
 * ```ts
 * const web = createTwoFactorWeb<User, Request>({
 *   service,
 *   strategy,
 *   getUser: (req) => req.user,
 *   getUserId: (user) => user.id,
 *   getAccountName: (user) => user.email,
 * });
 * ```
 */
export function createTwoFactorWeb<User, N>(options: TwoFactorWebOptions<User, N>): TwoFactorWeb<N> {
  const resolved = resolveOptions(options);
  const exchangeOf = (request: WebRequest<N>): Exchange<N> => ({ request, resolved, json: wantsJson(request) });
  const byFlow = flows<N>();
  const routes = ROUTE_TABLE.map((route): WebRoute<N> => ({
    ...route,
    async handle(request) {
      const exchange = exchangeOf(request);
      const continueUrl = route.router === 'management' ? resolved.managementPrefix : resolved.challengePrefix;
      try {
        return noStore(await run(route, byFlow[route.flow], exchange));
      } catch (error) {
        const problem = toProblem(error);
        return noStore(problemResponse(exchange, problem, continueUrl, isFault(problem) ? error : undefined));
      }
    },
  }));
  return {
    options: resolved,
    routes: Object.freeze(routes),
    requireSecondFactor(guardOptions) {
      const redirectTo = guardRedirect(guardOptions, resolved.loginPath);
      const enforceEnrollment = guardOptions?.enrollmentPolicy !== 'allow';
      return async (request) => {
        const exchange = exchangeOf(request);
        const decision = await accessOf(exchange);
        if (!decision.allowed) return refusalResponse(exchange, decision, redirectTo);
        // S36: after the grace deadline a required user without 2FA reaches only enrollment.
        return enforceEnrollment ? enrollmentRefusal(exchange, resolved.getUserId(decision.user)) : null;
      };
    },
    requireRecentSecondFactor: (guardOptions) => createStepUpGuard(resolved, exchangeOf, guardOptions),
    async renderSecuritySection(request) {
      const exchange = exchangeOf(request);
      const decision = await accessOf(exchange);
      return decision.allowed ? renderSection(exchange, resolved.getUserId(decision.user)) : '';
    },
    csrfFailure(request) {
      const problem = toProblem(new RouteError(RouteErrorCode.Csrf));
      return problemResponse(exchangeOf(request), problem, continueUrlFor(resolved, request.path));
    },
    passwordStep: (request, user) => completePasswordStep(resolved, request, user),
    async passwordStepResponse(request, user) {
      const exchange = exchangeOf(request);
      try {
        const step = await completePasswordStep(resolved, request, user);
        return noStore(
          exchange.json ? jsonResponse({ status: step.status }) : redirectResponse(request.method, step.redirectTo),
        );
      } catch (error) {
        const problem = toProblem(error);
        return noStore(problemResponse(exchange, problem, resolved.loginPath, isFault(problem) ? error : undefined));
      }
    },
    limitAttemptsByAddress(throttle) {
      if (!throttle || typeof throttle.claimAddress !== 'function')
        throw new ConfigurationError('limitAttemptsByAddress needs a PasswordThrottle of @secondfactor/core.');
      return async (request) => {
        const refusal = await limitByAddress(exchangeOf(request), throttle, request.path);
        return refusal && noStore(refusal);
      };
    },
  };
}
