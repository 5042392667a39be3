/** The inputs and results of {@link TwoFactorService}'s operations. */
import type { RequestMeta } from './events';

/** What `status` reports. Never a secret (S7). */
export interface TwoFactorStatus {
  /** 2FA is active. */
  enabled: boolean;
  /** An unexpired enrollment awaits confirmation. */
  pending: boolean;
  /** A setup was begun but expired before it was confirmed (S39): the page says so. */
  pendingExpired: boolean;
  /** The account may use 2FA (false for sub-accounts, S9). */
  eligible: boolean;
  /** Too many failures locked the factor (S16). */
  locked: boolean;
  /** Unused backup codes. */
  backupCodesRemaining: number;
  /** When 2FA was confirmed, or null. */
  enabledAt: Date | null;
  /** The 2FA policy requires this user to have 2FA (never an ineligible one, S36). */
  required: boolean;
  /** While required and 2FA is off: the grace deadline, after which only enrollment is reachable (S36); else null. */
  requiredBy: Date | null;
}

/** What `beginEnrollment` returns once, for the setup page. */
export interface EnrollmentStart {
  /** Unpadded base32 secret, for manual entry. */
  secret: string;
  /** The secret grouped in fours. */
  secretForDisplay: string;
  /** The otpauth:// URI the QR code encodes. */
  otpauthUrl: string;
  /** The QR code as an SVG document, rendered locally (S28). */
  qrSvg: string;
  /** When the pending enrollment expires (S7); a resumed setup keeps its first expiry. */
  expiresAt: Date;
  /** True when this is the pending setup begun earlier, shown again with the same secret (S39). */
  resumed: boolean;
}

/** A successful second step. */
export interface SecondFactorSuccess {
  method: 'totp' | 'backup_code';
  /** The TOTP step accepted (method `totp`). */
  step?: number;
  /** A new set of backup codes, shown once, when the last unused code was just used (S19). */
  backupCodes?: string[];
  /** Unused backup codes after this success. */
  backupCodesRemaining?: number;
}

/** Common input: whose factor, and the request metadata for events. */
export interface UserInput {
  userId: string;
  meta?: RequestMeta;
}

/** Input of an admin action: who acted. */
export interface AdminInput extends UserInput {
  /** The support user's id, for the audit trail (S10). */
  actorId: string;
}

/** Which factor an attempt used. */
export type FactorMethod = 'totp' | 'backup_code';
