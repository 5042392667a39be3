/**
 * The one place the bench reaches into the example sites' builds (examples/billing-site/dist,
 * examples/express-site/dist and the shared example code they are built on), so a change there shows up as one compile error here
 * rather than a wrong figure.
 */
export { createApp, type BillingSite } from '../../../examples/billing-site/dist/app';
export { createApp as createExpressApp, type ExpressBillingSite } from '../../../examples/express-site/dist/app';
export {
  createDataSource,
  hashPassword,
  loadConfig,
  passwordFingerprint,
  User,
} from '@secondfactor/example-billing-shared';

/** The example's session cookie, and the route under test in parts 3 and 4. */
export const EXAMPLE = Object.freeze({
  sessionCookie: 'billing.sid',
  clientArea: '/clientarea',
  challenge: '/login/two-factor',
});
