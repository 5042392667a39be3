/** The default views, one function per page; the host overrides any of them with the `views` option. */
import { backupCodeResetView, backupCodesRegeneratedView } from './backup-codes';
import { challengeView } from './challenge';
import { enrollmentCompleteView, enrollmentIntroView, enrollmentSetupView, verificationStepView } from './enrollment';
import { errorView } from './error-page';
import type { Views } from './models';
import { securitySectionView } from './security-section';
import { stepUpView } from './step-up';
import { trustedDevicesView } from './trusted-devices';

/**
 * The built-in views: escaped HTML fragments that the `layout` option wraps in the host's chrome.
 *
 * @example
 * ```ts
 * const views = { ...defaultViews, challenge: (model) => `<p>${model.texts.challengeTitle}</p>` };
 * ```
 */
export const defaultViews: Readonly<Views> = Object.freeze({
  securitySection: securitySectionView,
  enrollmentIntro: enrollmentIntroView,
  enrollmentSetup: enrollmentSetupView,
  verificationStep: verificationStepView,
  enrollmentComplete: enrollmentCompleteView,
  backupCodesRegenerated: backupCodesRegeneratedView,
  challenge: challengeView,
  backupCodeReset: backupCodeResetView,
  stepUp: stepUpView,
  trustedDevices: trustedDevicesView,
  error: errorView,
});

export type {
  BackupCodesViewModel,
  BaseViewModel,
  ChallengeViewModel,
  EnrollmentSetupViewModel,
  ErrorViewModel,
  SectionStatus,
  SecuritySectionViewModel,
  StepUpViewModel,
  TrustedDevicesViewModel,
  VerificationStepViewModel,
  ViewPaths,
  Views,
} from './models';
