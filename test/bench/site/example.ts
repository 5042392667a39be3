/**
 * The one place the bench reaches into the example site's build (examples/billing-site/dist),
 * so a change there shows up as one compile error here rather than a wrong figure.
 */
export { createApp, type BillingSite } from '../../../examples/billing-site/dist/app';
export { loadConfig } from '../../../examples/billing-site/dist/config';
export { createDataSource } from '../../../examples/billing-site/dist/db/data-source';
export { User } from '../../../examples/billing-site/dist/db/entities/user.entity';
export { hashPassword, passwordFingerprint } from '../../../examples/billing-site/dist/services/password-hasher';

/** The example's session cookie, and the route under test in parts 3 and 4. */
export const EXAMPLE = Object.freeze({
  sessionCookie: 'billing.sid',
  clientArea: '/clientarea',
  challenge: '/login/two-factor',
});
