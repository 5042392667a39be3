/**
 * @secondfactor/passport-totp: the Passport strategy for the second login step (a TOTP code or a
 * backup code), the pending-second-factor session helpers the password step uses, and guards for
 * Express and Koa that treat a half-finished login as signed out.
 */
export {
  ensureSecondFactor,
  type ExpressGuard,
  type ExpressGuardRequest,
  type ExpressGuardResponse,
} from './ensure-second-factor';
export { ensureSecondFactorKoa, type KoaGuard, type KoaGuardContext } from './ensure-second-factor-koa';
export {
  clearPendingSecondFactor,
  DEFAULT_PENDING_LOGIN_TTL_SECONDS,
  getPendingSecondFactor,
  hasPendingSecondFactor,
  MAX_PENDING_LOGIN_TTL_SECONDS,
  PENDING_SECOND_FACTOR_KEY,
  setPendingSecondFactor,
  type PendingSecondFactor,
  type SessionLike,
  type SetPendingSecondFactorInput,
} from './pending-second-factor';
export {
  AUTHENTICATION_REQUIRED,
  type AuthenticationRequiredBody,
  type EnsureSecondFactorOptions,
} from './sign-in-guard';
export { isTotpFailureInfo, type TotpFailureInfo, type TotpStrategyInfo, type TotpSuccessInfo } from './strategy-info';
export { TotpStrategy, type TotpRequest, type TotpStrategyOptions } from './totp-strategy';
