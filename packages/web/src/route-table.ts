/**
 * The route table of the HTTP contract (docs/architecture.md#http-contract): which router, method and path reach which
 * flow. Adapters mount exactly these; every POST changes state and so needs CSRF (S25).
 */

/**
 * One row of the table.
 *
 * @example
 * ```ts
 * const row: RouteDefinition = { router: 'management', method: 'POST', path: '/disable', flow: 'disable' };
 * ```
 */
export interface RouteDefinition {
  /** The management router (`managementPrefix`) or the challenge router (`challengePrefix`). */
  router: 'management' | 'challenge';
  method: 'GET' | 'POST';
  /** The path under the router's prefix. */
  path: string;
  /**
   * A sensitive action (S35): the session's last verification must be within `stepUpMaxAgeSeconds`,
   * else 401 `TWO_FACTOR_STEP_UP_REQUIRED` with `stepUpUrl`, or "Confirm it's you" and back to the
   * management page for browsers.
   */
  stepUp?: true;
  /** The flow that answers. */
  flow:
    | 'status'
    | 'enroll'
    | 'confirm'
    | 'disable'
    | 'backupCodes'
    | 'stepUpForm'
    | 'stepUp'
    | 'devices'
    | 'revokeDevice'
    | 'revokeAllDevices'
    | 'challengeForm'
    | 'challenge';
}

/**
 * The routes of both routers, in mounting order.
 *
 * @example
 * ```ts
 * ROUTE_TABLE.filter((route) => route.router === 'challenge').map((route) => route.method); // ['GET', 'POST']
 * ```
 */
export const ROUTE_TABLE: readonly RouteDefinition[] = Object.freeze([
  { router: 'management', method: 'GET', path: '/', flow: 'status' },
  { router: 'management', method: 'POST', path: '/enroll', flow: 'enroll' },
  { router: 'management', method: 'POST', path: '/confirm', flow: 'confirm' },
  { router: 'management', method: 'POST', path: '/disable', flow: 'disable' },
  { router: 'management', method: 'POST', path: '/backup-codes', flow: 'backupCodes' },
  { router: 'management', method: 'GET', path: '/step-up', flow: 'stepUpForm' },
  { router: 'management', method: 'POST', path: '/step-up', flow: 'stepUp' },
  { router: 'management', method: 'GET', path: '/devices', flow: 'devices' },
  { router: 'management', method: 'POST', path: '/devices/revoke-all', flow: 'revokeAllDevices', stepUp: true },
  { router: 'management', method: 'POST', path: '/devices/:id/revoke', flow: 'revokeDevice' },
  { router: 'challenge', method: 'GET', path: '/', flow: 'challengeForm' },
  { router: 'challenge', method: 'POST', path: '/', flow: 'challenge' },
] satisfies RouteDefinition[]);
