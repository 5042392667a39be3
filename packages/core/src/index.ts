/**
 * @secondfactor/core: RFC 6238 TOTP, secrets, otpauth URIs and QR codes, encryption at rest,
 * backup codes, throttling (of the second factor and of the password step), and the framework-free two-factor service over a store interface.
 */
export { base32Decode, base32Encode } from './base32';
export { MAX_CODE_INPUT_LENGTH, normalizeTotpCode, type NormalizedInput } from './code-input';
export {
  ConfigurationError,
  DecryptionError,
  InvalidCodeError,
  InvalidInputError,
  InvalidPasswordError,
  InvalidUserIdError,
  isTwoFactorError,
  KeyUnavailableError,
  LockedError,
  NotEligibleError,
  StoreUnavailableError,
  ThrottledError,
  TWO_FACTOR_ERROR_STATUS,
  TwoFactorError,
  TwoFactorErrorCode,
  TwoFactorStateError,
  type TwoFactorErrorCodeValue,
  type TwoFactorErrorOptions,
} from './errors';
export {
  NOTIFIABLE_EVENT_TYPES,
  TwoFactorEventType,
  type RequestMeta,
  type TwoFactorEvent,
  type TwoFactorEventReason,
  type TwoFactorEventSink,
  type TwoFactorEventTypeValue,
} from './events';
export {
  BACKUP_CODE_ALPHABET,
  BACKUP_CODE_LENGTH,
  BackupCodeHasher,
  DEFAULT_SCRYPT_PARAMS,
  generateBackupCode,
  normalizeBackupCode,
  type ScryptParams,
} from './backup-codes';
export { KEY_BYTES, Keyring, type KeyringOptions } from './keyring';
export { MemoryTwoFactorStore, type MemoryTwoFactorStoreOptions } from './memory-store';
export { buildOtpauthUri, type OtpauthUriInput } from './otpauth-uri';
export { MemoryPasswordThrottleStore } from './memory-password-throttle-store';
export {
  PasswordThrottle,
  type PasswordAccountClaim,
  type PasswordAccountDecision,
  type PasswordThrottleDecision,
  type PasswordThrottleOptions,
} from './password-throttle';
export {
  DEFAULT_PASSWORD_THROTTLE_POLICY,
  MAX_PASSWORD_THROTTLE_KEY_LENGTH,
  passwordBackoffSeconds,
  passwordThrottleAccountKey,
  passwordThrottleAddressKey,
  resolvePasswordThrottlePolicy,
  type PasswordThrottlePolicy,
} from './password-throttle-policy';
export type {
  AddressAttemptCount,
  CountAddressAttemptInput,
  PasswordAccountState,
  PasswordThrottleStore,
  RecordPasswordFailureInput,
  ResetPasswordFailuresInput,
} from './password-throttle-store';
export type { TwoFactorFailure, TwoFactorOutcome } from './outcome';
export { renderQrDataUrl, renderQrSvg } from './qr-code';
export {
  formatSecretForDisplay,
  generateSecret,
  importSecret,
  MIN_SECRET_BYTES,
  SECRET_BYTES,
  secretToBase32,
} from './secret';
export {
  checkStepUpMaxAge,
  DEFAULT_STEP_UP_MAX_AGE_SECONDS,
  MAX_STEP_UP_MAX_AGE_SECONDS,
  stepUpWindow,
  type StepUpWindow,
} from './step-up';
export { envelopeKeyId, SecretCipher, type SecretBinding } from './secret-cipher';
export { TwoFactorService } from './service';
export type {
  AdminInput,
  EnrollmentStart,
  FactorMethod,
  SecondFactorSuccess,
  TwoFactorStatus,
  UserInput,
} from './service-types';
export {
  DEFAULT_GRACE_DAYS,
  DEFAULT_PENDING_TTL_SECONDS,
  DEFAULT_TRUSTED_DEVICE_DAYS,
  MAX_BACKUP_CODE_COUNT,
  MAX_TRUSTED_DEVICE_DAYS,
  type TwoFactorServiceOptions,
} from './service-options';
export {
  hashDeviceToken,
  MAX_TRUSTED_DEVICE_LABEL_LENGTH,
  MAX_TRUSTED_DEVICES_PER_USER,
  TRUSTED_DEVICE_TOKEN_BYTES,
  TRUSTED_DEVICE_TOUCH_INTERVAL_MS,
  type PasswordStepDecision,
  type TrustedDevice,
  type TrustedDeviceGrant,
  type TrustedDeviceRevocationReason,
} from './trusted-devices';
export type { EnrollmentPolicyState, EnrollmentRequirement } from './enrollment-policy';
export type {
  AcceptChargedAttemptInput,
  ActivateInput,
  ChargeAttemptInput,
  ConsumeBackupCodeInput,
  CreatedEnrollmentDeadline,
  CreateTrustedDeviceInput,
  CredentialRecord,
  CredentialState,
  EnrollmentDeadlineInput,
  EnrollmentDeadlineRecord,
  FailureState,
  FindTrustedDeviceInput,
  RecordFailureInput,
  ReplaceBackupCodesInput,
  SavePendingInput,
  ThrottleDecision,
  TouchTrustedDeviceInput,
  TrustedDeviceRecord,
  TwoFactorStore,
  UpdateSecretInput,
  UseStepInput,
} from './store';
export { hostUserId, serviceUserId, type HostUserId, type UserIdKind } from './host-user-ids';
export {
  DEFAULT_THROTTLE_POLICY,
  MAX_FAILURES_CEILING,
  ThrottlePolicy,
  type ThrottlePolicyOptions,
} from './throttle-policy';
export {
  assertValidWindow,
  DEFAULT_WINDOW,
  generateTotp,
  hotp,
  MAX_WINDOW_STEPS,
  TOTP_DEFAULTS,
  timeStep,
  verifyTotp,
  type TotpAlgorithm,
  type TotpOptions,
  type TotpWindow,
  type VerifyTotpOptions,
  type VerifyTotpResult,
} from './totp';
export { isValidUserId, MAX_USER_ID_LENGTH } from './user-id';
