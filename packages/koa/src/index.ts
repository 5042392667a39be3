/**
 * @secondfactor/koa: drop-in @koa/router routes for TOTP enrollment, the login challenge, backup
 * codes and disabling, in HTML and JSON, with overridable views and a replaceable text catalog.
 * The flows, views and texts live in @secondfactor/web; this package maps Koa to them.
 */
export { createTwoFactorRouters, type TwoFactorRouters } from './create-two-factor-routers';
export type { LayoutPage, TwoFactorRoutesOptions, Views } from './options';
export {
  checkPasswordThrottled,
  csrfField,
  decideAccess,
  defaultTexts,
  defaultViews,
  escapeHtml,
  html,
  raw,
  RouteError,
  RouteErrorCode,
  SafeHtml,
  type AccessDecision,
  type AddressThrottle,
  type BackupCodesViewModel,
  type BaseViewModel,
  type ChallengeViewModel,
  type ClientErrorCode,
  type EnrollmentSetupViewModel,
  type ErrorViewModel,
  type InvalidCredentialsRefusal,
  type PasswordAttempt,
  type PasswordStepOutcome,
  type RequireRecentSecondFactorOptions,
  type RequireSecondFactorOptions,
  type RouteErrorCodeValue,
  type SectionStatus,
  type SecondStepStrategy,
  type SecuritySectionViewModel,
  type ThrottledPasswordCheck,
  type TooManyAttemptsRefusal,
  type TextCatalog,
  type TextOverrides,
  type ViewPaths,
} from '@secondfactor/web';
