/** Options for the two-factor service, validated at construction (fail fast at setup). */
import type { TwoFactorEvent, TwoFactorEventSink } from './events';
import type { Keyring } from './keyring';
import type { ScryptParams } from './backup-codes';
import type { TwoFactorStore } from './store';
import type { ThrottlePolicyOptions } from './throttle-policy';
import type { TotpWindow } from './totp';

/** Everything {@link TwoFactorService} needs. Only `store`, `keyring`, `issuer` and `verifyPassword` are required. */
export interface TwoFactorServiceOptions {
  /** Where credentials live. Use `@secondfactor/typeorm` in production. */
  store: TwoFactorStore;
  /** Keys for secrets at rest (S6). */
  keyring: Keyring;
  /** The issuer shown in authenticator apps, e.g. "Acme Billing". No colon. */
  issuer: string;
  /** Checks the user's current password, for disable and regenerate (S8). */
  verifyPassword: (userId: string, password: string) => boolean | Promise<boolean>;
  /** Whether the user may use 2FA at all; sub-accounts answer false (S9). Default: everyone. */
  isEligible?: (userId: string) => boolean | Promise<boolean>;
  /** The server clock (S11). Default `() => new Date()`. */
  clock?: () => Date;
  /** Steps accepted either side of now (S11). Default `{ past: 1, future: 1 }`, each at most 10. */
  window?: Partial<TotpWindow>;
  /** How long a pending enrollment stays confirmable. Default 600 (S7). */
  pendingTtlSeconds?: number;
  /** Backup codes per set. Default 1, the seed's model (S17); at most 20. */
  backupCodeCount?: number;
  /** Brute-force policy (S16). */
  throttle?: Partial<ThrottlePolicyOptions>;
  /** scrypt parameters for backup codes (S18). */
  scrypt?: Partial<ScryptParams>;
  /** Receives every event (S26, S27). */
  onEvent?: TwoFactorEventSink | TwoFactorEventSink[];
  /** Called when an event sink throws; the operation's outcome stands. Default: `console.error` of the event type. */
  onEventError?: (error: unknown, event: TwoFactorEvent) => void;
}

/** The largest `backupCodeCount`. */
export const MAX_BACKUP_CODE_COUNT = 20;
/** The default pending-enrollment lifetime: 10 minutes (S7). */
export const DEFAULT_PENDING_TTL_SECONDS = 600;
