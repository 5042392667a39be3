/**
 * @secondfactor/koa: drop-in @koa/router routes for TOTP enrollment, the login challenge, backup
 * codes and disabling, in HTML and JSON, with overridable views and a replaceable text catalog.
 */
export { createTwoFactorRouters, type TwoFactorRouters } from './create-two-factor-routers';
export type { RequireSecondFactorOptions } from './guard';
export { escapeHtml, html, raw, SafeHtml } from './html';
export type { LayoutPage, PassportLike, TwoFactorRoutesOptions } from './options';
export { RouteError, RouteErrorCode, type RouteErrorCodeValue } from './route-error';
export { defaultTexts, type ClientErrorCode, type TextCatalog, type TextOverrides } from './texts';
export {
  defaultViews,
  type BackupCodesViewModel,
  type BaseViewModel,
  type ChallengeViewModel,
  type EnrollmentSetupViewModel,
  type ErrorViewModel,
  type SectionStatus,
  type SecuritySectionViewModel,
  type ViewPaths,
  type Views,
} from './views';
