/** What each view receives. Views are pure functions of their model (and the framework's request, for overrides). */
import type { TwoFactorStatus } from '@secondfactor/core';
import type { TextCatalog } from '../texts';

/**
 * Where the routes live, for form actions and links.
 *
 * @example
 * ```ts
 * html`<a href="${model.paths.management}">Back</a>`;
 * ```
 */
export interface ViewPaths {
  /** The management router's prefix, e.g. `/account/security/two-factor`. */
  management: string;
  /** The challenge router's prefix, e.g. `/login/two-factor`. */
  challenge: string;
  /** Where a completed login goes. */
  successRedirect: string;
  /** The host's password login page. */
  loginPath: string;
  /** The host's Security Settings page, where Continue and Cancel lead. */
  settings: string;
}

/**
 * Common to every view.
 *
 * @example
 * ```ts
 * const intro = (model: BaseViewModel) => String(html`<p>${model.texts.introBody}</p>`);
 * ```
 */
export interface BaseViewModel {
  texts: TextCatalog;
  /** The CSRF token for the hidden `_csrf` field (from koa-csrf or csrf-sync), if any. */
  csrfToken: string | undefined;
  paths: ViewPaths;
  /** A message for the `aria-live` error region, already chosen from the catalog. */
  error?: string;
}

/**
 * The user's status as the section shows it; never a secret (S7).
 *
 * @example
 * ```ts
 * const label = (status: SectionStatus) => (status.enabled ? 'on' : 'off');
 * ```
 */
export type SectionStatus = TwoFactorStatus;

/**
 * The Two-Factor Authentication section of Security Settings.
 *
 * @example
 * ```ts
 * const section = (model: SecuritySectionViewModel) => String(html`<p>${model.status.enabled ? model.texts.statusEnabled : model.texts.statusDisabled}</p>`);
 * ```
 */
export interface SecuritySectionViewModel extends BaseViewModel {
  status: SectionStatus;
  /** The policy's grace deadline has passed and 2FA is still off: only enrollment is reachable (S36). */
  enrollmentDue?: boolean;
  /** A confirmation to announce, e.g. after disabling. */
  notice?: string;
  /** 1 on the routes' own page, 2 when embedded under the host's Security Settings heading. */
  headingLevel: 1 | 2;
  /** The form whose password was refused: its field gets the focus and is marked invalid. */
  failedAction?: 'disable' | 'regenerate';
}

/**
 * The page that shows the barcode and the secret key, once.
 *
 * @example
 * ```ts
 * const setup = (model: EnrollmentSetupViewModel) => String(html`<code>${model.secretForDisplay}</code>`);
 * ```
 */
export interface EnrollmentSetupViewModel extends BaseViewModel {
  /** Unpadded base32 secret. */
  secret: string;
  /** The secret grouped in fours, for manual typing. */
  secretForDisplay: string;
  /** The QR code as an SVG document, rendered locally (S28). */
  qrSvg: string;
  /** When the pending enrollment expires. */
  expiresAt: Date;
  /** The same pending setup shown again (Back, reload, a second tab): the key did not change (S39). */
  resumed: boolean;
}

/**
 * The Verification Step, or, once the setup expired, the notice that says so with one way to start again (S39).
 *
 * @example
 * ```ts
 * const verify = (model: VerificationStepViewModel) => (model.expired ? 'start again' : 'enter the code');
 * ```
 */
export interface VerificationStepViewModel extends BaseViewModel {
  /** The setup expired before it was confirmed. */
  expired: boolean;
}

/**
 * A page that shows backup codes once.
 *
 * @example
 * ```ts
 * const codes = (model: BackupCodesViewModel) => String(html`<ul>${model.backupCodes.map((code) => html`<li>${code}</li>`)}</ul>`);
 * ```
 */
export interface BackupCodesViewModel extends BaseViewModel {
  backupCodes: string[];
  /** Where the Continue link goes. */
  continueUrl: string;
}

/**
 * The login challenge.
 *
 * @example
 * ```ts
 * const open = (model: ChallengeViewModel) => model.failedField === 'backupCode';
 * ```
 */
export interface ChallengeViewModel extends BaseViewModel {
  /** Which form the error belongs to; the backup-code form opens when it is `backupCode`. */
  failedField?: 'code' | 'backupCode';
  /** Days a remembered browser skips the code; the "Remember this browser" checkbox shows only when > 0 (S34). */
  rememberDeviceDays?: number;
}

/**
 * The trusted devices list (S34): what each device shows, never its token.
 *
 * @example
 * ```ts
 * const model: TrustedDevicesViewModel = { ...baseModel(exchange), devices: [], headingLevel: 2 };
 * ```
 */
export interface TrustedDevicesViewModel extends BaseViewModel {
  devices: {
    id: string;
    label: string;
    createdAt: Date;
    lastUsedAt: Date | null;
    expiresAt: Date;
    /** The browser the page was opened in. */
    current: boolean;
  }[];
  /** A confirmation to announce, e.g. after revoking. */
  notice?: string;
  /** 1 on its own page; one below the Two-Factor Authentication heading when shown under it. */
  headingLevel: 1 | 2 | 3;
}

/**
 * The step-up page (S35).
 *
 * @example
 * ```ts
 * const model: StepUpViewModel = { ...baseModel(exchange), twoFactorEnabled: true, returnTo: '/account/users' };
 * ```
 */
export interface StepUpViewModel extends BaseViewModel {
  /** A code (or backup code) is asked for; otherwise the password. */
  twoFactorEnabled: boolean;
  /** The same-origin path the user goes back to; already checked. */
  returnTo: string;
  /** Which form the error belongs to. */
  failedField?: 'code' | 'backupCode' | 'password';
}

/**
 * A page for a refusal that has no better place to be shown.
 *
 * @example
 * ```ts
 * const page = (model: ErrorViewModel) => String(html`<p role="alert">${model.message}</p>`);
 * ```
 */
export interface ErrorViewModel extends BaseViewModel {
  status: number;
  code: string;
  message: string;
  /** Where the "Continue" link goes. */
  continueUrl: string;
}

/**
 * Every view: a function from its model (and the framework's request, `ctx` or `req`) to an HTML
 * fragment the layout wraps.
 *
 * @example
 * ```ts
 * const views: Partial<Views> = { error: (model) => String(html`<h1>${model.status}</h1><p>${model.message}</p>`) };
 * ```
 */
export interface Views<N = unknown> {
  securitySection(model: SecuritySectionViewModel, request: N): string;
  enrollmentIntro(model: BaseViewModel, request: N): string;
  enrollmentSetup(model: EnrollmentSetupViewModel, request: N): string;
  verificationStep(model: VerificationStepViewModel, request: N): string;
  enrollmentComplete(model: BackupCodesViewModel, request: N): string;
  backupCodesRegenerated(model: BackupCodesViewModel, request: N): string;
  challenge(model: ChallengeViewModel, request: N): string;
  backupCodeReset(model: BackupCodesViewModel, request: N): string;
  stepUp(model: StepUpViewModel, request: N): string;
  trustedDevices(model: TrustedDevicesViewModel, request: N): string;
  error(model: ErrorViewModel, request: N): string;
}
