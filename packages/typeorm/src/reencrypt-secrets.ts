/**
 * Key rotation (S6): re-encrypts every stored secret that is not under the keyring's current key.
 * Batches walk the credentials by id (keyset pagination), and each row is replaced with the store's
 * conditional `updateSecret`, so a run can stop at any point, be resumed or repeated, and race
 * with live traffic without losing a re-enrollment.
 */
import { ConfigurationError, SecretCipher, type Keyring } from '@secondfactor/core';
import type { DataSource } from 'typeorm';
import { StoreDatabase } from './store-database';
import { twoFactorCredentialSchema } from './two-factor-credential-entity';
import { TypeOrmTwoFactorStore } from './typeorm-two-factor-store';

/**
 * Where a {@link reencryptSecrets} run stands.
 *
 * @example
 * ```ts
 * const onProgress = (p: ReencryptionProgress) => console.log(`${p.scanned}/${p.total}, resume after ${p.lastId}`);
 * ```
 */
export interface ReencryptionProgress {
  /** Credentials not under the current key when the run started. */
  total: number;
  /** Candidates looked at so far. */
  scanned: number;
  /** Secrets rewritten under the current key. */
  reencrypted: number;
  /** Candidates left alone: already current, or changed or deleted meanwhile. */
  skipped: number;
  /** The last credential id looked at; pass it as `startAfterId` to resume. Null before the first. */
  lastId: string | null;
}

/**
 * Options for {@link reencryptSecrets}.
 *
 * @example
 * ```ts
 * const options: ReencryptSecretsOptions = {
 *   dataSource,
 *   keyring: Keyring.parse(process.env.SECONDFACTOR_KEYS ?? ''),
 *   batchSize: 500,
 * };
 * ```
 */
export interface ReencryptSecretsOptions {
  /** The host's DataSource with the two-factor entities registered. */
  dataSource: DataSource;
  /** Every key that may still encrypt a secret; the current (first) key encrypts. */
  keyring: Keyring;
  /** Credentials per batch. Default 100, from 1 to 10000. */
  batchSize?: number;
  /** Called after each batch. */
  onProgress?: (progress: ReencryptionProgress) => void;
  /** Writes `updated_at`. Default `() => new Date()`. */
  clock?: () => Date;
  /** Resume after this credential id (from an earlier `lastId`). Default: from the start. */
  startAfterId?: string;
}

/**
 * Re-encrypts every credential whose secret is not under `keyring.currentKeyId`. Keep the old keys
 * in the keyring until a run finishes; a missing key stops the run with `KeyUnavailableError`.
 *
 * @example
 * ```ts
 * import { Keyring } from '@secondfactor/core';
 * import { reencryptSecrets } from '@secondfactor/typeorm';
 * const result = await reencryptSecrets({
 *   dataSource,
 *   keyring: Keyring.parse('k2:' + newKeyBase64 + ',k1:' + oldKeyBase64),
 *   onProgress: (p) => console.log(`${p.scanned}/${p.total}`),
 * });
 * result.reencrypted; // how many secrets moved to k2
 * ```
 */
export async function reencryptSecrets(options: ReencryptSecretsOptions): Promise<ReencryptionProgress> {
  const { dataSource, keyring, onProgress } = options;
  const batchSize = options.batchSize ?? 100;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10000)
    throw new ConfigurationError('batchSize must be an integer from 1 to 10000.');
  if (!keyring || typeof keyring.currentKeyId !== 'string')
    throw new ConfigurationError('reencryptSecrets needs a Keyring.');
  const clock = options.clock ?? (() => new Date());
  const cipher = new SecretCipher(keyring);
  const current = keyring.currentKeyId;
  const db = new StoreDatabase(dataSource);
  const store = new TypeOrmTwoFactorStore(dataSource);
  const table = db.table(twoFactorCredentialSchema);

  const counted = await db.run(
    `
      SELECT COUNT(*) AS n
      FROM ${table}
      WHERE key_id <> :current`,
    { current },
  );
  const progress: ReencryptionProgress = {
    total: Number(counted.rows[0]?.n ?? 0),
    scanned: 0,
    reencrypted: 0,
    skipped: 0,
    lastId: options.startAfterId ?? null,
  };

  for (;;) {
    // Keyset pagination: `id > last` stays correct while rows are re-keyed, inserted or deleted.
    const { rows } = await db.run(
      `
        SELECT id, user_id, encrypted_secret
        FROM ${table}
        WHERE key_id <> :current AND id > :after
        ORDER BY id
        LIMIT ${batchSize}`,
      { current, after: progress.lastId ?? '' },
    );
    if (rows.length === 0) break;
    for (const row of rows) {
      const credentialId = String(row.id);
      const envelope = String(row.encrypted_secret);
      progress.scanned += 1;
      progress.lastId = credentialId;
      if (!cipher.needsReencryption(envelope)) {
        progress.skipped += 1;
        continue;
      }
      const updated = await store.updateSecret({
        credentialId,
        expectedEncryptedSecret: envelope,
        encryptedSecret: cipher.reencrypt(envelope, { userId: String(row.user_id), credentialId }),
        keyId: current,
        now: clock(),
      });
      if (updated) progress.reencrypted += 1;
      else progress.skipped += 1;
    }
    onProgress?.({ ...progress });
    if (rows.length < batchSize) break;
  }
  return { ...progress };
}
