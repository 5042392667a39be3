/**
 * The persistence contract (docs/architecture.md#store-contract). Every method is async and every state change is
 * atomic in the database: no read-then-write. `@secondfactor/typeorm` and the in-memory store
 * implement it; `@secondfactor/test-utils` holds the conformance suite every store must pass.
 *
 * Two rules hold for every method. A user id passed in is always valid (`isValidUserId`: 1 to 255
 * characters, no control characters, no white space at either end): the service checks it first,
 * and a store must keep any two valid ids apart, case included. A method given an unknown
 * credential id changes nothing and says so in its result (false or null); none of them throws for it.
 */

/** The lifecycle state of a stored credential (docs/architecture.md#state-model). */
export type CredentialState = 'pending' | 'active';

/** One user's second factor as stored. At most one credential exists per user. */
export interface CredentialRecord {
  /** Opaque id chosen by the service (a UUID); part of the ciphertext's AAD. */
  id: string;
  /** The host's user id, as a string. */
  userId: string;
  state: CredentialState;
  /** The secret as a versioned AES-256-GCM envelope (see `SecretCipher`); never plaintext. */
  encryptedSecret: string;
  /** The id of the key that encrypted `encryptedSecret`. */
  keyId: string;
  /** When a pending enrollment stops being confirmable; null once active. */
  pendingExpiresAt: Date | null;
  /** The last TOTP time step accepted (replay guard, S12); null before first use. */
  lastUsedStep: number | null;
  /** Consecutive failures, shared by TOTP and backup codes (S16). */
  failureCount: number;
  /** No attempt is evaluated before this time (S16). */
  backoffUntil: Date | null;
  /** Set when the failure limit was reached; only an unlock clears it (S16). */
  lockedAt: Date | null;
  createdAt: Date;
  /** When the enrollment was confirmed; null while pending. */
  confirmedAt: Date | null;
  updatedAt: Date;
}

/** Input to {@link TwoFactorStore.savePending}. */
export interface SavePendingInput {
  id: string;
  userId: string;
  encryptedSecret: string;
  keyId: string;
  pendingExpiresAt: Date;
  now: Date;
  /**
   * The credential this one replaces, as the caller read it: its id, or null when the user had
   * none. The save changes nothing when the user's credential is no longer that one, so of two
   * parallel starts exactly one stores its secret and the other shows it (S39). Omitted: any
   * pending credential is replaced.
   */
  replaces?: string | null;
}

/** Input to {@link TwoFactorStore.activate}. */
export interface ActivateInput {
  credentialId: string;
  /** The confirming code's step: it is consumed, so it cannot be used again to log in (S12). */
  step: number;
  /** Backup code hashes to store with the activation, in the same transaction. */
  backupCodeHashes: readonly string[];
  now: Date;
}

/** Input to {@link TwoFactorStore.useStep}. */
export interface UseStepInput {
  credentialId: string;
  step: number;
  /**
   * The `failureCount` the caller read before checking the code. The update applies only if the
   * count is unchanged: a failure recorded by a parallel attempt since the read voids this success,
   * so a burst of parallel guesses is worth one guess, not one per request (S16).
   */
  expectedFailureCount: number;
  now: Date;
}

/** Input to {@link TwoFactorStore.consumeBackupCode}. */
export interface ConsumeBackupCodeInput {
  credentialId: string;
  /** The stored hash string that matched. */
  hash: string;
  /**
   * When given, in the same transaction as the consumption: every backup code of the credential
   * is deleted and these hashes are inserted (the last code was used, so a new set is issued).
   */
  replaceWith?: readonly string[];
  /**
   * The `failureCount` the caller read before checking the code. The update applies only if the
   * count is unchanged: a failure recorded by a parallel attempt since the read voids this success,
   * so a burst of parallel guesses is worth one guess, not one per request (S16).
   */
  expectedFailureCount: number;
  now: Date;
}

/** Input to {@link TwoFactorStore.replaceBackupCodes}. */
export interface ReplaceBackupCodesInput {
  credentialId: string;
  hashes: readonly string[];
  now: Date;
}

/** What the throttle policy decides for a given consecutive-failure count. */
export interface ThrottleDecision {
  /** No attempt before this time; null for none. */
  backoffUntil: Date | null;
  /** Whether the factor is now locked. */
  lock: boolean;
}

/** Input to {@link TwoFactorStore.recordFailure}. */
export interface RecordFailureInput {
  credentialId: string;
  now: Date;
  /** Maps the failure count after the increment to the new backoff and lock. Pure and synchronous. */
  decide: (failureCount: number) => ThrottleDecision;
}

/** Input to {@link TwoFactorStore.chargeAttempt}. */
export interface ChargeAttemptInput {
  credentialId: string;
  now: Date;
  /** Maps the failure count after the increment to the new backoff and lock. Pure and synchronous. */
  decide: (failureCount: number) => ThrottleDecision;
}

/** Input to {@link TwoFactorStore.acceptChargedAttempt}. */
export interface AcceptChargedAttemptInput {
  credentialId: string;
  /** The `failureCount` that {@link TwoFactorStore.chargeAttempt} returned for this attempt. */
  chargedFailureCount: number;
  now: Date;
}

/** The counters after {@link TwoFactorStore.recordFailure} or {@link TwoFactorStore.chargeAttempt}. */
export interface FailureState {
  failureCount: number;
  backoffUntil: Date | null;
  lockedAt: Date | null;
}

/** Input to {@link TwoFactorStore.updateSecret} (key rotation). */
export interface UpdateSecretInput {
  credentialId: string;
  /** The ciphertext the caller re-encrypted; the update applies only if it is still current. */
  expectedEncryptedSecret: string;
  encryptedSecret: string;
  keyId: string;
  now: Date;
}

/**
 * One user's stored enrollment deadline under a 2FA policy (S36): written when the deadline is
 * first computed, so a later change of the grace period neither extends nor cuts it.
 */
export interface EnrollmentDeadlineRecord {
  /** The host's user id, as a string. */
  userId: string;
  /** After this instant the user must enroll before reaching anything else (S36). */
  deadline: Date;
  /** When the deadline was first stored. */
  createdAt: Date;
  /** When the reminder before the deadline was sent; null before. */
  remindedAt: Date | null;
}

/** Input to {@link TwoFactorStore.createEnrollmentDeadline} and {@link TwoFactorStore.shortenEnrollmentDeadline}. */
export interface EnrollmentDeadlineInput {
  userId: string;
  deadline: Date;
  now: Date;
}

/** What {@link TwoFactorStore.createEnrollmentDeadline} answers. */
export interface CreatedEnrollmentDeadline {
  /** The stored deadline: the given one when `created`, else the one stored before. */
  record: EnrollmentDeadlineRecord;
  /** Whether this call stored it (exactly one of N parallel calls for a user). */
  created: boolean;
}

/**
 * A trusted device (S34): a browser that skips the second factor for its user and credential until
 * `expiresAt`. The token itself is never stored: only its SHA-256 hash.
 */
export interface TrustedDeviceRecord {
  /** Opaque id chosen by the service (a UUID); what the revoke route takes. */
  id: string;
  userId: string;
  /** The credential the device was trusted under; it dies with it. */
  credentialId: string;
  /** Hex SHA-256 of the token (64 characters); unique. */
  tokenHash: string;
  /** A display label such as "Firefox on Windows"; never trusted for anything. */
  label: string;
  createdAt: Date;
  /** When the device last skipped the second step; null until then. Updated at most hourly. */
  lastUsedAt: Date | null;
  /** After this instant the device is ignored. */
  expiresAt: Date;
}

/** Input to {@link TwoFactorStore.createTrustedDevice}. */
export interface CreateTrustedDeviceInput {
  id: string;
  userId: string;
  credentialId: string;
  tokenHash: string;
  label: string;
  expiresAt: Date;
  now: Date;
  /** The most devices one user keeps; the oldest beyond it are deleted in the same transaction. */
  maxPerUser: number;
}

/** Input to {@link TwoFactorStore.findTrustedDevice}. */
export interface FindTrustedDeviceInput {
  tokenHash: string;
  /** A row of another user never matches. */
  userId: string;
  /** A row trusted under another credential (before a re-enrollment) never matches. */
  credentialId: string;
  /** A row with `expiresAt <= now` never matches. */
  now: Date;
}

/** Input to {@link TwoFactorStore.touchTrustedDevice}. */
export interface TouchTrustedDeviceInput {
  id: string;
  now: Date;
  /** The update applies only if `lastUsedAt` is null or before this instant (one write an hour at most). */
  lastUsedBefore: Date;
}

/**
 * The store contract. Implementations must make each method one atomic operation.
 *
 * @example
 * ```ts
 * import { MemoryTwoFactorStore, type TwoFactorStore } from '@secondfactor/core';
 * const store: TwoFactorStore = new MemoryTwoFactorStore();
 * ```
 */
export interface TwoFactorStore {
  /**
   * The user's credential, pending or active, or null. One indexed read and nothing else: the
   * password step's `isEnabled` is this call.
   */
  findByUserId(userId: string): Promise<CredentialRecord | null>;

  /**
   * Saves a pending credential, replacing the user's pending one (the old secret is dead).
   * Returns false, changing nothing, when the user already has an active credential, or when
   * `replaces` is given and the user's credential is no longer that one (null: none at all).
   */
  savePending(input: SavePendingInput): Promise<boolean>;

  /**
   * In one transaction: turns the pending credential active (if it is pending and
   * `pendingExpiresAt > now`), sets `lastUsedStep = step`, `confirmedAt = now`, clears
   * `pendingExpiresAt` and the failure counters, and inserts the backup code hashes.
   * Returns false, changing nothing, otherwise.
   */
  activate(input: ActivateInput): Promise<boolean>;

  /**
   * Accepts a TOTP step: one conditional update `lastUsedStep = step, failureCount = 0,
   * backoffUntil = null` where the credential is active, not locked, not in backoff at `now`,
   * `failureCount = expectedFailureCount`, and `lastUsedStep` is null or `< step`. Returns whether
   * a row changed (S12, S16).
   */
  useStep(input: UseStepInput): Promise<boolean>;

  /** Hashes of the credential's unused backup codes. */
  listUnusedBackupCodeHashes(credentialId: string): Promise<string[]>;

  /**
   * Marks one backup code used: one conditional update on `usedAt IS NULL`, which also resets the
   * failure counters, and applies `replaceWith` in the same transaction when given. Returns whether
   * it consumed the code: true exactly once per code (S19); on false nothing changes.
   * Like `useStep`, it refuses (false) unless the credential is active, not locked, not in
   * backoff at `now` and `failureCount = expectedFailureCount`, checked in the same transaction: a lock set by a parallel failure while this
   * attempt was being hashed must still hold (S16).
   */
  consumeBackupCode(input: ConsumeBackupCodeInput): Promise<boolean>;

  /**
   * Only for an active credential, in one transaction: deletes every backup code of the credential,
   * used or not, and inserts the new hashes. Returns whether it replaced them; for a pending or
   * unknown credential (2FA turned off since the caller read it) it changes nothing and returns false.
   */
  replaceBackupCodes(input: ReplaceBackupCodesInput): Promise<boolean>;

  /**
   * For an existing credential, pending or active: increments `failureCount` in the database (never
   * read-modify-write), then applies `decide(newCount)` to set `backoffUntil` and, on lock,
   * `lockedAt = now` (a lock already set keeps its time). Concurrent calls never lose an increment.
   * Returns the state after this failure. For an unknown credential (deleted, or a pending one
   * replaced by a restarted enrollment) it changes nothing, calls no `decide` and returns null.
   */
  recordFailure(input: RecordFailureInput): Promise<FailureState | null>;

  /**
   * Counts an attempt as a failure before it is checked (S29), so a slow check such as a password
   * hash runs no more often in a parallel burst than in sequence. One atomic step: only when the
   * credential is active, not locked and not in backoff at `now` (`backoffUntil` null or `<= now`),
   * it increments `failureCount` in the database and applies `decide(newCount)` exactly as
   * `recordFailure` does, and returns the state after the charge. Otherwise (a pending or unknown
   * credential included) it changes nothing and returns null. Under N parallel calls, a charge whose
   * decision sets a backoff or a lock refuses every later one: as many charges succeed as sequential
   * attempts the policy allows at `now`.
   */
  chargeAttempt(input: ChargeAttemptInput): Promise<FailureState | null>;

  /**
   * The charged attempt was right (S29): one conditional update `failureCount = 0,
   * backoffUntil = null, lockedAt = null` where the credential is active and
   * `failureCount = chargedFailureCount`. Returns whether a row changed. Any charge or failure
   * counted since this attempt's charge moves the count and voids it (false, nothing changes): a
   * parallel burst is worth no more than sequential tries. A lock this clears can only be the one
   * the attempt's own charge set, because a charge is refused while locked.
   */
  acceptChargedAttempt(input: AcceptChargedAttemptInput): Promise<boolean>;

  /** Clears `failureCount`, `backoffUntil` and `lockedAt` (admin unlock or recovery). Returns whether a credential exists. */
  resetFailures(credentialId: string, now: Date): Promise<boolean>;

  /** Replaces the ciphertext if it still equals `expectedEncryptedSecret` (key rotation). Returns whether it changed. */
  updateSecret(input: UpdateSecretInput): Promise<boolean>;

  /**
   * Deletes the user's credential, its backup codes and its trusted devices in one step (S34).
   * Returns whether one existed.
   */
  deleteByUserId(userId: string): Promise<boolean>;

  /** The user's stored enrollment deadline (S36), or null. One indexed read. */
  findEnrollmentDeadline(userId: string): Promise<EnrollmentDeadlineRecord | null>;

  /**
   * Stores the user's enrollment deadline unless one is stored already, atomically (an insert that
   * a unique user id refuses): an existing deadline is never moved. Of N parallel calls exactly one
   * answers `created: true`; every call answers the deadline that is stored (S36).
   */
  createEnrollmentDeadline(input: EnrollmentDeadlineInput): Promise<CreatedEnrollmentDeadline>;

  /**
   * Makes the stored deadline at most `deadline`, storing it when there is none (an admin disable of
   * a required user: enroll at the next sign-in, no new grace, S36). A deadline already earlier stays.
   * Returns the stored record.
   */
  shortenEnrollmentDeadline(input: EnrollmentDeadlineInput): Promise<EnrollmentDeadlineRecord>;

  /**
   * Marks the reminder before the deadline sent: one conditional update on `remindedAt IS NULL`.
   * Returns true exactly once per stored deadline, so a reminder job run twice mails once.
   */
  claimEnrollmentReminder(input: { userId: string; now: Date }): Promise<boolean>;

  /**
   * Trusted devices (S34). Only for the user's active credential `credentialId`, in one
   * transaction: deletes the user's expired devices, inserts this one, and deletes the oldest
   * (by `createdAt`) beyond `maxPerUser`. Returns whether it was stored; for a pending, deleted or
   * replaced credential it changes nothing and returns false.
   */
  createTrustedDevice(input: CreateTrustedDeviceInput): Promise<boolean>;

  /**
   * The device with this token hash, only if it belongs to `userId` and `credentialId` and has
   * not expired at `now`; otherwise null. One indexed read on the unique token hash.
   */
  findTrustedDevice(input: FindTrustedDeviceInput): Promise<TrustedDeviceRecord | null>;

  /**
   * Sets `lastUsedAt = now` when it is null or before `lastUsedBefore`: one conditional update.
   * Returns whether a row changed.
   */
  touchTrustedDevice(input: TouchTrustedDeviceInput): Promise<boolean>;

  /** The user's unexpired devices at `now`, newest first. */
  listTrustedDevices(userId: string, now: Date): Promise<TrustedDeviceRecord[]>;

  /** Deletes one device of the user. Returns whether it existed (another user's id deletes nothing). */
  deleteTrustedDevice(userId: string, deviceId: string): Promise<boolean>;

  /** Deletes every device of the user in one statement. Returns how many there were. */
  deleteTrustedDevices(userId: string): Promise<number>;
}
