/**
 * What the two example billing sites share: configuration, the database (entities, migrations,
 * demo data), the services (accounts, passwords, mail, notifications, the 2FA service, sessions),
 * the views and the site's own route decisions over a neutral request. No web framework: the Koa
 * site (`examples/billing-site`) and the Express site (`examples/express-site`) hold only their
 * framework's wiring.
 */
export {
  AdminExitCode,
  parseAdminArgs,
  runAdminCli,
  runAdminCommand,
  type AdminCommand,
  type AdminResult,
} from './admin-cli';
export {
  describeDatabase,
  loadConfig,
  parseDatabaseUrl,
  type DatabaseConfig,
  type LoadConfigOptions,
  type SiteConfig,
} from './config';
export { createDataSource } from './db/data-source';
export { DEMO_ACCOUNTS, type DemoAccount } from './db/demo-data';
export { runMigrations } from './db/migrate';
export {
  BillingService,
  Invoice,
  NotificationThrottleRecord,
  PaymentMethod,
  siteEntities,
  siteMigrations,
  StepUpPasswordAttempt,
  User,
} from './db/schema';
export { sqliteFilePaths } from './db/sqlite-file';
export { addSubAccount, clientArea, securitySettings, subAccounts } from './http/account-pages';
export {
  ACCOUNT_ROUTES,
  type AccountRoute,
  type AccountRouteContext,
  type AccountRouteGuard,
} from './http/account-routes';
export { ASSET_CACHE_CONTROL, loadAssets, PUBLIC_DIR, type Asset } from './http/assets';
export { objectBody } from './http/body-shape';
export {
  csrfRefusal,
  describeError,
  errorJson,
  errorPageOf,
  methodNotAllowed,
  notFound,
  serverErrorLine,
  type ErrorAnswer,
} from './http/error-answer';
export { setFlash, takeFlash, type SessionData } from './http/flash';
export {
  addPaymentMethod,
  paymentMethods,
  parsePaymentMethod,
  type NewPaymentMethod,
} from './http/payment-method-pages';
export {
  accountSections,
  changePassword,
  listSessions,
  revokeOtherSessions,
  revokeSession,
  sessionRows,
} from './http/account-protection-pages';
export { DYNAMIC_NO_STORE, SECURITY_HEADERS, securityHeaders } from './http/security-headers';
export {
  sessionProbe,
  sessionProbeWithPolicy,
  signedInUser,
  type SessionProbe,
  type SignInFacts,
} from './http/session-view';
export {
  loginForm,
  passwordLogin,
  registerForm,
  registration,
  signedOut,
  type PasswordStepResult,
  type SignInSteps,
} from './http/sign-in-pages';
export { formValues, json, page, redirect, type SiteAnswer, type SiteRequest } from './http/site-answer';
export { renderSitePage, type PageRequest, type SitePage } from './http/site-page';
export { SESSION_COOKIE, sessionCookieName } from './http/session-cookie';
export { clientAddress } from './http/client-address';
export { refusalEvent, type FinishedRequest } from './http/refusal-event';
export { userAgentSummary } from './http/user-agent-summary';
export { twoFactorPage, twoFactorRouteSettings } from './http/two-factor-routes';
export {
  builtSite,
  openSite,
  type BuiltSite,
  type CreateApp,
  type CreateAppOptions,
  type OpenedSite,
} from './open-site';
export { serveSite, type ServeSiteOptions } from './serve';
export { parseLogin, parseNewAccount, type NewAccountInput } from './services/account-input';
export {
  AccountEventType,
  createAccountEvents,
  describeAccountEvent,
  type AccountEvent,
  type AccountEventRecorder,
} from './services/account-events';
export { ACCOUNT_MAIL_SUBJECTS, sendAccountMail } from './services/account-mail';
export { asStoreFault, isDatabaseUnavailable } from './services/database-faults';
export { registrationAddressLimit } from './services/registration-address-limit';
export {
  describeEnrollmentReport,
  enrollmentReport,
  REMINDER_BEFORE_DEADLINE_MS,
  sendEnrollmentReminders,
  type EnrollmentReport,
  type ReminderRun,
  type ReportedOwner,
} from './services/enrollment-policy-report';
export { enrollmentRequiredText, NOTIFICATION_SUBJECTS } from './services/notifications';
export { useSiteStrategies, type PassportRegistry } from './services/passport-strategies';
export { currentRequestId, jsonLog, jsonLogLine, newRequestId, withRequestId } from './services/json-log';
export { hashPassword, passwordFingerprint, verifyPassword } from './services/password-hasher';
export { openSiteContext, type SiteContext, type SiteHashCost } from './services/site-context';
export { StepUpPasswords, type StepUpPasswordAnswer } from './services/step-up-passwords';
export { SiteError, SiteErrorCode, type SiteErrorCodeValue } from './services/site-error';
export { openSiteSessions, type SiteSessions } from './services/site-sessions';
export { toPublicUser, UserAccounts, type PublicUser } from './services/user-accounts';
export { html, raw, SafeHtml } from './views/html';
export type { Flash, NavSection } from './views/layout';
