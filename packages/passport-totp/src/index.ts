/**
 * @secondfactor/passport-totp: the second login step (a TOTP code or a backup code) as a typed
 * function and as a Passport strategy, and the pending-second-factor session helpers the password
 * step uses. Guards for protected routes come from @secondfactor/koa and @secondfactor/express.
 */
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
  NoPendingLoginError,
  SECOND_STEP_ERROR_STATUS,
  SecondStepErrorCode,
  type SecondStepErrorCodeValue,
} from './second-step-error';
export {
  loginStateOf,
  verifySecondStep,
  type LoginState,
  type SecondStepOptions,
  type SecondStepResult,
  type TotpRequest,
} from './second-step';
export { isTotpFailureInfo, type TotpFailureInfo, type TotpStrategyInfo, type TotpSuccessInfo } from './strategy-info';
export { TotpStrategy, type TotpStrategyOptions } from './totp-strategy';
