/**
 * The scale part's bulk insert: users, each with an active credential whose secret `SecretCipher`
 * encrypts bound to the user and the credential (S6), and audit rows spread over 800 days. Users
 * and audit rows are generated server-side; credentials come from the bench in large multi-row
 * INSERTs, a few in flight, in the order of their ids. The secondary indexes of the credentials and
 * audit tables are built once at the end instead of row by row.
 */
import { randomUUID } from 'node:crypto';
import { generateSecret, Keyring, SecretCipher } from '@secondfactor/core';
import type { DataSource } from 'typeorm';
import type { ScaleDatabase } from './config';
import { runConcurrently } from './http-client';
import { setAsideSecondaryIndexes } from './secondary-indexes';
import type { BenchUser } from './verify-http';

const DAY_SECONDS = 86_400;
/** The audit rows span this many days back from the bulk insert; the prune cuts at half of it. */
export const EVENT_SPAN_DAYS = 800;
/** Rows per server-side INSERT … SELECT (users, audit rows). */
const SERVER_CHUNK = 250_000;
/** Credentials per INSERT: 5,000 rows (about 1.5 MB) stay well under MariaDB's default 16 MiB packet. */
export const CREDENTIAL_CHUNK = 5000;
/** INSERTs in flight: the encryption of the next chunk overlaps the server's work on the last. */
export const CREDENTIAL_INSERTS_IN_FLIGHT = 2;
/** One credential row as the bench makes it: the rest is the same for every row of a chunk. */
interface CredentialRow {
  id: string;
  userId: string;
  encryptedSecret: string;
}

/**
 * One INSERT of a chunk of active credentials. MariaDB gets a multi-row VALUES list (mysql2 fills
 * in the values client-side); PostgreSQL gets three array parameters expanded by `unnest`, since
 * binding tens of thousands of separate parameters costs more than the insert itself.
 */
export function credentialInsert(
  kind: ScaleDatabase,
  rows: readonly CredentialRow[],
  keyId: string,
  now: Date,
): { sql: string; parameters: unknown[] } {
  const columns = 'id, user_id, state, encrypted_secret, key_id, failure_count, created_at, confirmed_at, updated_at';
  if (kind === 'postgres')
    return {
      sql: `INSERT INTO two_factor_credentials (${columns})
            SELECT c.id, c.user_id, 'active', c.secret, $4, 0, $5, $5, $5
            FROM unnest($1::varchar[], $2::varchar[], $3::varchar[]) AS c(id, user_id, secret)`,
      parameters: [rows.map((r) => r.id), rows.map((r) => r.userId), rows.map((r) => r.encryptedSecret), keyId, now],
    };
  return {
    sql: `INSERT INTO two_factor_credentials (${columns}) VALUES ${rows.map(() => "(?, ?, 'active', ?, ?, 0, ?, ?, ?)").join(', ')}`,
    parameters: rows.flatMap((r) => [r.id, r.userId, r.encryptedSecret, keyId, now, now, now]),
  };
}

/** What to insert into one database. */
export interface PopulationOptions {
  users: number;
  events: number;
  /** Users whose secrets the bench keeps to sign them in, spread over the id range. */
  sample: number;
  keys: string;
  passwordHash: string;
  label: string;
}

/** The sampled users, and seconds each stage took (from the start of the insert). */
export interface Population {
  users: BenchUser[];
  seconds: number;
  credentialSeconds: number;
}

async function insertUsers(
  dataSource: DataSource,
  kind: ScaleDatabase,
  count: number,
  passwordHash: string,
): Promise<string[]> {
  for (let first = 1; first <= count; first += SERVER_CHUNK) {
    const last = Math.min(count, first + SERVER_CHUNK - 1);
    await dataSource.query(
      kind === 'postgres'
        ? `INSERT INTO users (name, email, password_hash, parent_id)
           SELECT 'Bench User ' || s, 'bench-' || s || '@example.com', $1, NULL FROM generate_series(${first}, ${last}) AS s`
        : `INSERT INTO users (name, email, password_hash, parent_id)
           SELECT CONCAT('Bench User ', seq), CONCAT('bench-', seq, '@example.com'), ?, NULL FROM seq_${first}_to_${last}`,
      [passwordHash],
    );
  }
  const ids = (
    (await dataSource.query("SELECT id FROM users WHERE email LIKE 'bench-%' ORDER BY id")) as Array<{
      id: number | string;
    }>
  ).map(({ id }) => String(id));
  if (ids.length !== count) throw new Error(`bench: inserted ${ids.length} users, expected ${count}`);
  return ids;
}

/**
 * One active credential per user. The ids are random (v4) as the store makes them, but sorted
 * before the insert, so each INSERT appends to the primary key instead of splitting pages all
 * over it.
 */
async function insertCredentials(
  dataSource: DataSource,
  kind: ScaleDatabase,
  userIds: readonly string[],
  options: PopulationOptions,
): Promise<BenchUser[]> {
  const cipher = new SecretCipher(Keyring.parse(options.keys));
  const credentialIds = Array.from({ length: userIds.length }, () => randomUUID()).sort();
  const stride = Math.max(1, Math.floor(userIds.length / options.sample));
  const sampled: BenchUser[] = [];
  const now = new Date();
  const insertChunk = async (start: number): Promise<void> => {
    const rows: CredentialRow[] = [];
    for (let i = start; i < Math.min(userIds.length, start + CREDENTIAL_CHUNK); i++) {
      const userId = userIds[i];
      const id = credentialIds[i];
      const secret = generateSecret();
      if (i % stride === 0 && i / stride < options.sample) sampled.push({ id: userId, secret, lastStep: -1 });
      rows.push({ id, userId, encryptedSecret: cipher.encrypt(secret, { userId, credentialId: id }) });
    }
    const { sql, parameters } = credentialInsert(kind, rows, cipher.currentKeyId, now);
    await dataSource.query(sql, parameters);
  };
  const starts = Array.from({ length: Math.ceil(userIds.length / CREDENTIAL_CHUNK) }, (_, i) => i * CREDENTIAL_CHUNK);
  await runConcurrently(starts.length, CREDENTIAL_INSERTS_IN_FLIGHT, (i) => insertChunk(starts[i]));
  return sampled.sort((a, b) => Number(a.id) - Number(b.id));
}

/** `events` audit rows over all users, a tenth `code.failed`, evenly over the 800 days before `now`. */
async function insertAuditRows(
  dataSource: DataSource,
  kind: ScaleDatabase,
  userIds: readonly string[],
  events: number,
  now: Date,
): Promise<void> {
  const minId = Number(userIds[0]);
  const span = Number(userIds[userIds.length - 1]) - minId + 1;
  const secondsPerEvent = (EVENT_SPAN_DAYS * DAY_SECONDS) / events;
  for (let first = 1; first <= events; first += SERVER_CHUNK) {
    const last = Math.min(events, first + SERVER_CHUNK - 1);
    // Row n is (events - n) × secondsPerEvent old, so the first half is older than half the span.
    await dataSource.query(
      kind === 'postgres'
        ? `INSERT INTO two_factor_audit_events (id, type, user_id, method, reason, failure_count, ip, user_agent, occurred_at)
           SELECT '00000000-0000-0000-' || LPAD(s::text, 17, '0'),
                  CASE WHEN s % 10 = 0 THEN 'code.failed' ELSE 'code.verified' END,
                  (${minId} + (s * 7919) % ${span})::text,
                  'totp',
                  CASE WHEN s % 10 = 0 THEN 'invalid_code' END,
                  CASE WHEN s % 10 = 0 THEN 1 END,
                  '192.0.2.1', 'Mozilla/5.0 (bench)',
                  $1::timestamp - ((${events} - s) * ${secondsPerEvent}) * interval '1 second'
           FROM generate_series(${first}::bigint, ${last}::bigint) AS s`
        : `INSERT INTO two_factor_audit_events (id, type, user_id, method, reason, failure_count, ip, user_agent, occurred_at)
           SELECT CONCAT('00000000-0000-0000-', LPAD(seq, 17, '0')),
                  IF(seq % 10 = 0, 'code.failed', 'code.verified'),
                  CAST(${minId} + (seq * 7919) % ${span} AS CHAR),
                  'totp',
                  IF(seq % 10 = 0, 'invalid_code', NULL),
                  IF(seq % 10 = 0, 1, NULL),
                  '192.0.2.1', 'Mozilla/5.0 (bench)',
                  ? - INTERVAL FLOOR((${events} - seq) * ${secondsPerEvent}) SECOND
           FROM seq_${first}_to_${last}`,
      [now],
    );
  }
}

/**
 * Inserts the users, their credentials and the audit rows, builds the set-aside indexes, analyses
 * the tables, and returns the sampled users with their secrets.
 */
export async function populate(
  dataSource: DataSource,
  kind: ScaleDatabase,
  options: PopulationOptions,
  log: (line: string) => void,
): Promise<Population> {
  const started = Date.now();
  const since = (): string => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  const restoreCredentialIndexes = await setAsideSecondaryIndexes(dataSource, kind, 'two_factor_credentials');
  const restoreAuditIndexes = await setAsideSecondaryIndexes(dataSource, kind, 'two_factor_audit_events');
  const ids = await insertUsers(dataSource, kind, options.users, options.passwordHash);
  log(`scale ${kind} ${options.label}: ${ids.length} users in ${since()}`);
  const credentialsStarted = Date.now();
  const users = await insertCredentials(dataSource, kind, ids, options);
  const credentialSeconds = (Date.now() - credentialsStarted) / 1000;
  log(
    `scale ${kind} ${options.label}: ${ids.length} credentials in ${credentialSeconds.toFixed(1)} s (${((credentialSeconds * 10_000) / ids.length).toFixed(2)} s per 10,000), by ${since()}`,
  );
  if (options.events > 0) {
    await insertAuditRows(dataSource, kind, ids, options.events, new Date());
    log(`scale ${kind} ${options.label}: ${options.events} audit rows by ${since()}`);
  }
  await restoreCredentialIndexes();
  await restoreAuditIndexes();
  log(`scale ${kind} ${options.label}: indexes built by ${since()}`);
  if (kind === 'postgres')
    await dataSource.query('VACUUM (ANALYZE) users, two_factor_credentials, two_factor_audit_events');
  else await dataSource.query('ANALYZE TABLE users, two_factor_credentials, two_factor_audit_events');
  return { users, seconds: (Date.now() - started) / 1000, credentialSeconds };
}
