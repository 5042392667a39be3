/**
 * @secondfactor/web: everything HTTP-shaped about two-factor authentication that does not depend
 * on a framework. The route table, the flows over a neutral request and response, content
 * negotiation, the error mapping, no-store, the one access decision, the views and the texts.
 * @secondfactor/koa and @secondfactor/express translate; they hold no flow of their own.
 */
export { decideAccess, type AccessDecision, type RequireSecondFactorOptions } from './access';
export type { AddressThrottle } from './address-limit';
export { createTwoFactorWeb, type TwoFactorWeb, type WebRoute } from './create-two-factor-web';
export { csrfField } from './csrf-field';
export { deviceLabel } from './device-label';
export { escapeHtml, html, raw, SafeHtml } from './html';
export { isJsonContentType, preferredType, wantsJson } from './negotiate';
export { NO_STORE_HEADERS } from './no-store';
export type {
  LayoutPage,
  ResolvedOptions,
  SecondStepRequest,
  SecondStepStrategy,
  StepUpPasswordCheck,
  TwoFactorWebOptions,
} from './options';
export type { PasswordStepOutcome } from './password-step';
export {
  checkPasswordThrottled,
  tooManyAttempts,
  type InvalidCredentialsRefusal,
  type PasswordAttempt,
  type PasswordStepThrottle,
  type ThrottledPasswordCheck,
  type TooManyAttemptsRefusal,
} from './password-throttle-check';
export { safeReturnTo, STEP_UP_SESSION_KEY, verifiedAtOf } from './step-up-session';
export { stepUpUrl, type RequireRecentSecondFactorOptions } from './step-up-guard';
export { isFault, toProblem, type Problem } from './problem';
export type { LoginState, WebCookies, WebRequest, WebSession } from './request';
export type { WebResponse } from './response';
export { ROUTE_ERROR_STATUS, RouteError, RouteErrorCode, type RouteErrorCodeValue } from './route-error';
export { ROUTE_TABLE, type RouteDefinition } from './route-table';
export { SECURITY_STAMP_SESSION_KEY } from './security-stamp';
export type { NoPendingLoginFailure, SecondStepResult } from './second-step';
export { DEFAULT_TRUSTED_DEVICE_COOKIE } from './trusted-device-cookie';
export { defaultTexts, formatDeadline, type ClientErrorCode, type TextCatalog, type TextOverrides } from './texts';
export {
  defaultViews,
  type BackupCodesViewModel,
  type BaseViewModel,
  type ChallengeViewModel,
  type EnrollmentSetupViewModel,
  type ErrorViewModel,
  type SectionStatus,
  type SecuritySectionViewModel,
  type StepUpViewModel,
  type TrustedDevicesViewModel,
  type VerificationStepViewModel,
  type ViewPaths,
  type Views,
} from './views';
