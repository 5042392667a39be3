/**
 * Every user-facing string of the routes and views (i18n). The host replaces any of them with the
 * `texts` option. The default wording follows the help article the flow is modelled on.
 */
import type { TwoFactorErrorCodeValue } from '@secondfactor/core';
import type { RouteErrorCodeValue } from './route-error';
import type { NoPendingLoginFailure } from './second-step';

/**
 * The error codes a client can receive; each has a message in {@link TextCatalog.errors}.
 *
 * @example
 * ```ts
 * const code: ClientErrorCode = 'TWO_FACTOR_INVALID_CODE';
 * texts.errors[code]; // 'The code is not valid. Try again.'
 * ```
 */
export type ClientErrorCode =
  | Exclude<
      TwoFactorErrorCodeValue,
      'TWO_FACTOR_KEY_UNAVAILABLE' | 'TWO_FACTOR_DECRYPTION_FAILED' | 'TWO_FACTOR_CONFIGURATION'
    >
  | NoPendingLoginFailure['code']
  | RouteErrorCodeValue;

/**
 * The text catalog. Strings are plain text: views escape them.
 *
 * @example
 * ```ts
 * const texts: TextCatalog = { ...defaultTexts, enableButton: 'Turn on' };
 * ```
 */
export interface TextCatalog {
  /** The `lang` attribute of the default layout. */
  lang: string;
  /** Heading of the Security Settings section. */
  sectionTitle: string;
  sectionIntro: string;
  statusDisabled: string;
  statusEnabled: string;
  statusPending: string;
  statusLocked: string;
  /** A setup was begun but expired before it was confirmed (S39). */
  statusPendingExpired: string;
  /** The policy requires 2FA and the grace deadline is ahead (S36): "… by {deadline}". */
  statusRequiredBy: (deadline: Date) => string;
  /** The policy requires 2FA and the grace deadline has passed: the plain explanation of the redirect (S36). */
  statusRequiredNow: string;
  /** "Backup codes remaining: n". */
  backupCodesRemaining: (count: number) => string;
  enableButton: string;
  continueSetupButton: string;
  /** Shows the pending setup's barcode and key again: the same key (S39). */
  showKeyAgainButton: string;
  /** What a sub-account sees instead of the enable button (S9). */
  notEligible: string;
  disableHeading: string;
  disableHelp: string;
  disableButton: string;
  regenerateHeading: string;
  regenerateHelp: string;
  regenerateButton: string;
  passwordLabel: string;
  noticeDisabled: string;
  /** A neutral notice when a setup form is sent again after 2FA was turned on (Back after enabling). */
  noticeAlreadyEnabled: string;
  /** The link to the host's Security Settings. */
  settingsLink: string;
  introTitle: string;
  introBody: string;
  getStartedButton: string;
  cancelLink: string;
  setupTitle: string;
  setupInstructions: string;
  /** Text alternative of the barcode: it must carry the secret key, for users who cannot scan. */
  qrAlt: (secretForDisplay: string) => string;
  secretKeyLabel: string;
  setupConfirmHint: string;
  /** Above a setup shown again: the key did not change (S39). */
  setupResumed: string;
  /** The secondary action that replaces the pending key with a new one (S39). */
  startOverButton: string;
  confirmButton: string;
  verifyTitle: string;
  verifyInstructions: string;
  codeLabel: string;
  startAgainButton: string;
  /** On the Verification Step once the setup expired (S39). */
  verifyExpired: string;
  completeTitle: string;
  completeBody: string;
  /** "Backup Code" or "Backup Codes". */
  backupCodeHeading: (count: number) => string;
  backupCodeAdvice: string;
  continueLink: string;
  regeneratedTitle: string;
  regeneratedBody: string;
  challengeTitle: string;
  challengeInstructions: string;
  verifyButton: string;
  useBackupCodeSummary: string;
  backupCodeInstructions: string;
  backupCodeLabel: string;
  backupCodeButton: string;
  backupCodeResetTitle: string;
  /** Shown after a login with the last backup code, above the new one (S19). */
  backupCodeResetNotice: string;
  /** Heading of the step-up page (S35). */
  stepUpTitle: string;
  /** Why the page asks: a sensitive action needs a recent confirmation. */
  stepUpIntro: string;
  /** What a user with 2FA types. */
  stepUpCodeInstructions: string;
  /** What a user without 2FA types. */
  stepUpPasswordInstructions: string;
  stepUpButton: string;
  /** The backup-code form's summary on the step-up page. */
  stepUpBackupCodeSummary: string;
  stepUpBackupCodeButton: string;
  /** The challenge's checkbox, "Remember this browser for 30 days" (S34). */
  rememberDeviceLabel: (days: number) => string;
  /** Heading of the trusted devices list in Security Settings (S34). */
  trustedDevicesTitle: string;
  trustedDevicesIntro: string;
  trustedDevicesEmpty: string;
  /** Marks the browser the page was opened in. */
  trustedDeviceCurrent: string;
  trustedDeviceCreated: string;
  trustedDeviceLastUsed: string;
  trustedDeviceNeverUsed: string;
  trustedDeviceExpires: string;
  /** The button that revokes one device; its accessible name adds the label. */
  trustedDeviceRevokeButton: string;
  trustedDevicesRevokeAllButton: string;
  /** Announced after revoking. */
  noticeDevicesRevoked: (count: number) => string;
  errorTitle: string;
  /** Starts the title of a page that shows an error, e.g. "Error: ". */
  errorTitlePrefix: string;
  /** One message per error code, for HTML pages and the `message` of JSON errors. */
  errors: Record<ClientErrorCode, string>;
}

/**
 * What the host may pass as `texts`: any subset, `errors` merged per code.
 *
 * @example
 * ```ts
 * const texts: TextOverrides = { lang: 'de', errors: { TWO_FACTOR_INVALID_CODE: 'Der Code ist ungültig.' } };
 * ```
 */
export type TextOverrides = Partial<Omit<TextCatalog, 'errors'>> & {
  errors?: Partial<Record<ClientErrorCode, string>>;
};

/**
 * A deadline as the default texts show it: the UTC date and time, unambiguous in any time zone.
 *
 * @example
 * ```ts
 * formatDeadline(new Date('2030-01-15T09:30:00Z')); // '15 January 2030, 09:30 UTC'
 * ```
 */
export function formatDeadline(deadline: Date): string {
  const months = [
    'January',
    'February',
    'March',
    'April',
    'May',
    'June',
    'July',
    'August',
    'September',
    'October',
    'November',
    'December',
  ];
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${deadline.getUTCDate()} ${months[deadline.getUTCMonth()]} ${deadline.getUTCFullYear()}, ${pad(deadline.getUTCHours())}:${pad(deadline.getUTCMinutes())} UTC`;
}

/**
 * The default English catalog.
 *
 * @example
 * ```ts
 * const texts = { ...defaultTexts, enableButton: 'Turn on' };
 * ```
 */
export const defaultTexts: Readonly<TextCatalog> = Object.freeze({
  lang: 'en',
  sectionTitle: 'Two-Factor Authentication',
  sectionIntro:
    'Two-factor authentication adds a second step to your login: after your password you enter a six-digit code from an authenticator app on your phone.',
  statusDisabled: 'Two-factor authentication is not enabled.',
  statusEnabled: 'Two-factor authentication is enabled.',
  statusPending: 'You started setting up two-factor authentication but have not confirmed it yet.',
  statusLocked: 'Two-factor authentication is locked after too many failed attempts. Contact support.',
  statusPendingExpired: 'Your earlier setup expired before it was confirmed. Click here to enable to start again.',
  statusRequiredBy: (deadline: Date) =>
    `Your account requires two-factor authentication. Please turn it on by ${formatDeadline(deadline)}.`,
  statusRequiredNow:
    'Your account requires two-factor authentication, and the time to set it up has run out. Set it up now to continue using your account.',
  backupCodesRemaining: (count: number) => `Backup codes remaining: ${count}`,
  enableButton: 'Click here to enable',
  continueSetupButton: 'Enter the verification code',
  showKeyAgainButton: 'Show the barcode again',
  notEligible: 'Two-factor authentication is not available for sub-accounts.',
  disableHeading: 'Disable two-factor authentication',
  disableHelp: 'Enter your current password to turn off two-factor authentication.',
  disableButton: 'Disable',
  regenerateHeading: 'New backup code',
  regenerateHelp: 'Enter your current password to get a new backup code. The old one stops working.',
  regenerateButton: 'Generate a new backup code',
  passwordLabel: 'Current password',
  noticeDisabled: 'Two-factor authentication has been disabled.',
  noticeAlreadyEnabled:
    'Two-factor authentication is already enabled for your account. There is nothing more to set up.',
  settingsLink: 'Go to Security Settings',
  introTitle: 'Set up two-factor authentication',
  introBody:
    'Once two-factor authentication is on, every time you log in you will be required to enter your password and then a six-digit code from your authenticator app.',
  getStartedButton: 'Get Started',
  cancelLink: 'Cancel',
  setupTitle: 'Add your account to your authenticator app',
  setupInstructions:
    'Scan the barcode with your authenticator app, or enter the secret key manually. If you do not have an app yet, we recommend Google Authenticator from the iOS or Android app store.',
  qrAlt: (secretForDisplay: string) => `Barcode for your authenticator app. Secret key: ${secretForDisplay}`,
  secretKeyLabel: 'Secret key',
  setupConfirmHint: 'When your app confirms that the account was added, click Confirm.',
  setupResumed:
    'This is the same secret key as before. If your app already has this account, click Confirm; you do not need to add it again.',
  startOverButton: 'Start over with a new key',
  confirmButton: 'Confirm',
  verifyTitle: 'Verification Step',
  verifyInstructions: 'Your authenticator app now shows a six-digit code. Enter it below.',
  codeLabel: 'Six-digit code',
  startAgainButton: 'Start again',
  verifyExpired:
    'This setup expired before it was confirmed, so its key no longer works. Start again to get a new key.',
  completeTitle: 'Two-factor authentication has been set up successfully',
  completeBody: 'From now on you will be asked for a code from your authenticator app each time you log in.',
  backupCodeHeading: (count: number) => (count === 1 ? 'Backup Code' : 'Backup Codes'),
  backupCodeAdvice:
    'If you lose the device you use for two-factor authentication, this code lets you log in to your account. Write it down and keep it somewhere safe that you will have access to. It is shown only once.',
  continueLink: 'Continue',
  regeneratedTitle: 'Your new backup code',
  regeneratedBody: 'Your previous backup code no longer works.',
  challengeTitle: 'Two-factor authentication',
  challengeInstructions: 'Enter the six-digit code from your authenticator app.',
  verifyButton: 'Verify',
  useBackupCodeSummary: 'Lost your device? Use your backup code',
  backupCodeInstructions: 'Enter the backup code you wrote down when you set up two-factor authentication.',
  backupCodeLabel: 'Backup code',
  backupCodeButton: 'Log in with backup code',
  backupCodeResetTitle: 'Your backup code was used',
  backupCodeResetNotice:
    'You logged in with your backup code. Backup codes are valid once only, so it has been reset: the code you used no longer works, and your new backup code is below.',
  stepUpTitle: "Confirm it's you",
  stepUpIntro:
    'This action can change who has access to your account or how you pay, so we ask you to confirm your identity again. You will not be asked again for a while.',
  stepUpCodeInstructions: 'Enter the six-digit code from your authenticator app.',
  stepUpPasswordInstructions: 'Enter your current password.',
  stepUpButton: 'Confirm',
  stepUpBackupCodeSummary: 'Lost your device? Use your backup code',
  stepUpBackupCodeButton: 'Confirm with backup code',
  rememberDeviceLabel: (days: number) => `Remember this browser for ${days} ${days === 1 ? 'day' : 'days'}`,
  trustedDevicesTitle: 'Trusted devices',
  trustedDevicesIntro:
    'Browsers you chose to remember skip the six-digit code when you log in with your password. Revoke any you no longer use or do not recognise.',
  trustedDevicesEmpty: 'No browser is remembered.',
  trustedDeviceCurrent: 'This browser',
  trustedDeviceCreated: 'Remembered',
  trustedDeviceLastUsed: 'Last used',
  trustedDeviceNeverUsed: 'Not used yet',
  trustedDeviceExpires: 'Expires',
  trustedDeviceRevokeButton: 'Revoke',
  trustedDevicesRevokeAllButton: 'Revoke all trusted devices',
  noticeDevicesRevoked: (count: number) =>
    count === 1 ? 'One trusted device was revoked.' : `${count} trusted devices were revoked.`,
  errorTitle: 'Something went wrong',
  errorTitlePrefix: 'Error: ',
  errors: Object.freeze({
    TWO_FACTOR_INVALID_INPUT: 'Check what you entered and try again.',
    TWO_FACTOR_INVALID_USER_ID: 'Your account could not be identified. Log in again.',
    TWO_FACTOR_INVALID_CODE: 'The code is not valid. Try again.',
    TWO_FACTOR_INVALID_PASSWORD: 'The password is not correct.',
    TWO_FACTOR_NOT_ELIGIBLE: 'Two-factor authentication is not available for sub-accounts.',
    TWO_FACTOR_ALREADY_ENABLED: 'Two-factor authentication is already enabled.',
    TWO_FACTOR_NOT_ENABLED: 'Two-factor authentication is not enabled.',
    TWO_FACTOR_NO_PENDING_ENROLLMENT: 'There is no setup to confirm. Start again.',
    TWO_FACTOR_ENROLLMENT_EXPIRED: 'The setup expired. Start again.',
    TWO_FACTOR_REQUIRED_BY_POLICY:
      'Two-factor authentication is required for your account and cannot be turned off. Contact support if you lost your device.',
    TWO_FACTOR_ENROLLMENT_REQUIRED:
      'Your account requires two-factor authentication. Set it up in Security Settings to continue.',
    TWO_FACTOR_NO_PENDING_LOGIN: 'Your login has expired. Log in again.',
    TWO_FACTOR_THROTTLED: 'Too many attempts. Wait a moment and try again.',
    TWO_FACTOR_LOCKED: 'Two-factor authentication is locked after too many failed attempts. Contact support.',
    TWO_FACTOR_UNAVAILABLE: 'Two-factor authentication is temporarily unavailable. Try again later.',
    TWO_FACTOR_CSRF: 'This form has expired. Reload the page and try again.',
    TWO_FACTOR_SIGN_IN_REQUIRED: 'Log in to continue.',
    TWO_FACTOR_REQUIRED: 'Enter your two-factor code to finish logging in.',
    TWO_FACTOR_STEP_UP_REQUIRED: "Confirm it's you to continue.",
    TWO_FACTOR_ALREADY_SIGNED_IN: 'You are already logged in.',
    TOO_MANY_ATTEMPTS: 'Too many attempts. Wait a while and try again.',
    INVALID_CREDENTIALS: 'The email address or password is not correct.',
    TWO_FACTOR_INTERNAL: 'Something went wrong. Try again later.',
  }),
});
