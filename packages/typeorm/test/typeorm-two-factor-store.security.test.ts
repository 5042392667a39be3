import { accessSync, constants, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as chai from 'chai';
import { normalizeBackupCode } from '@secondfactor/core';
import { createTypeOrmEventSink, TWO_FACTOR_TABLE_NAMES, TypeOrmTwoFactorStore } from '../src';
import { EVERY_DIALECT, forEachDatabase, openDatabase, type TestDatabase } from './support/databases';
import { currentCode, enroll, makeService, type EnrolledUser } from './support/two-factor-fixture';

const { expect } = chai;

/** Every spelling of a secret or code that must never be found at rest. */
function forbiddenNeedles(user: EnrolledUser, codes: string[]): { label: string; bytes: Buffer }[] {
  const needles = [
    { label: 'base32 secret', bytes: Buffer.from(user.secretBase32) },
    { label: 'lower-case base32 secret', bytes: Buffer.from(user.secretBase32.toLowerCase()) },
    { label: 'hex secret', bytes: Buffer.from(user.secret.toString('hex')) },
    { label: 'upper-case hex secret', bytes: Buffer.from(user.secret.toString('hex').toUpperCase()) },
    { label: 'base64 secret', bytes: Buffer.from(user.secret.toString('base64')) },
    { label: 'base64url secret', bytes: Buffer.from(user.secret.toString('base64url')) },
    { label: 'raw secret bytes', bytes: user.secret },
  ];
  for (const code of codes) {
    const normalized = normalizeBackupCode(code);
    if (!normalized.ok) throw new Error('not a backup code');
    needles.push({ label: `formatted backup code ${code}`, bytes: Buffer.from(code) });
    needles.push({ label: 'normalised backup code', bytes: Buffer.from(normalized.value) });
    needles.push({ label: 'lower-case backup code', bytes: Buffer.from(normalized.value.toLowerCase()) });
  }
  return needles;
}

/** Every value of every row of a table, as bytes, as the database returns them. */
async function tableBytes(database: TestDatabase, table: string): Promise<Buffer> {
  const rows = await database.sql(`SELECT * FROM ${database.quote(table)}`);
  expect(rows.length, `${table} should not be empty for this check`).to.be.greaterThan(0);
  return Buffer.concat(
    rows.flatMap((row) =>
      Object.values(row).map((value) => (Buffer.isBuffer(value) ? value : Buffer.from(String(value)))),
    ),
  );
}

const TABLES = [
  TWO_FACTOR_TABLE_NAMES.credentials,
  TWO_FACTOR_TABLE_NAMES.backupCodes,
  TWO_FACTOR_TABLE_NAMES.auditEvents,
];

/**
 * PostgreSQL's files of the two-factor tables, their TOAST tables and their indexes, after a
 * checkpoint wrote every dirty page; null when the data directory is not readable here.
 */
async function postgresFileBytes(database: TestDatabase): Promise<Buffer | null> {
  const [{ data_directory: dataDirectory }] = await database.sql<{ data_directory: string }>('SHOW data_directory');
  const rows = await database.sql<{ path: string }>(
    `
      SELECT pg_relation_filepath(c.oid) AS path
      FROM pg_class c
      WHERE c.oid IN (
        SELECT t.oid FROM pg_class t WHERE t.relname IN (?, ?, ?) AND t.relnamespace = current_schema()::regnamespace
        UNION SELECT t.reltoastrelid FROM pg_class t WHERE t.relname IN (?, ?, ?) AND t.reltoastrelid <> 0
        UNION SELECT i.indexrelid FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid WHERE t.relname IN (?, ?, ?)
      )`,
    [...TABLES, ...TABLES, ...TABLES],
  );
  const files = rows.map((row) => join(dataDirectory, row.path));
  try {
    accessSync(dataDirectory, constants.R_OK);
  } catch {
    console.log(`      (PostgreSQL's data directory ${dataDirectory} is not readable here: checking the rows only)`);
    return null;
  }
  // Write the dirty pages to the relation files before reading them.
  await database.sql('CHECKPOINT');
  expect(files.length, 'three tables, their TOAST tables and indexes').to.be.at.least(6);
  return Buffer.concat(files.filter((file) => existsSync(file)).map((file) => readFileSync(file)));
}

/** The files holding the data: the SQLite file (and journal), InnoDB's .ibd files or PostgreSQL's, when readable. */
async function fileBytes(database: TestDatabase): Promise<Buffer | null> {
  if (database.file) {
    const dir = join(database.file, '..');
    return Buffer.concat(readdirSync(dir).map((name) => readFileSync(join(dir, name))));
  }
  if (database.kind === 'postgres') return postgresFileBytes(database);
  const [{ datadir }] = (await database.dataSource.query('SELECT @@datadir AS datadir')) as { datadir: string }[];
  const [{ db }] = (await database.dataSource.query('SELECT DATABASE() AS db')) as { db: string }[];
  const files = TABLES.map((t) => join(datadir, db, `${t}.ibd`));
  if (!files.every((file) => existsSync(file))) {
    console.log(`      (MariaDB's data directory ${datadir} is not on this machine: checking the table contents only)`);
    return null;
  }
  // Write the dirty pages to the .ibd files before reading them.
  await database.dataSource.query(`FLUSH TABLES ${TABLES.join(', ')} FOR EXPORT`);
  await database.dataSource.query('UNLOCK TABLES');
  return Buffer.concat(files.map((file) => readFileSync(file)));
}

describe('TypeOrmTwoFactorStore', function () {
  forEachDatabase(EVERY_DIALECT, (kind) => {
    describe('when secrets and backup codes are at rest', function () {
      let database: TestDatabase;
      let user: EnrolledUser;
      let everyCode: string[];

      before(async function () {
        database = await openDatabase(kind);
        const store = new TypeOrmTwoFactorStore(database.dataSource);
        const fixture = makeService(store, {
          backupCodeCount: 3,
          onEvent: createTypeOrmEventSink(database.dataSource),
        });
        user = await enroll(fixture);
        // Use one code, verify a TOTP code, then regenerate: every path that writes codes has run.
        const used = await fixture.service.useBackupCode({
          userId: user.userId,
          backupCode: user.backupCodes[0],
          meta: { ip: '203.0.113.9', userAgent: 'Tests/1.0' },
        });
        expect(used.ok).to.equal(true);
        expect(
          (await fixture.service.verifyCode({ userId: user.userId, code: currentCode(fixture, user.secret) })).ok,
        ).to.equal(true);
        const regenerated = await fixture.service.regenerateBackupCodes({
          userId: user.userId,
          password: 'correct horse',
        });
        if (!regenerated.ok) throw regenerated.error;
        everyCode = [...user.backupCodes, ...regenerated.backupCodes];
      });

      after(async function () {
        await database?.teardown();
      });

      it('S6: the credential table holds neither the base32 secret, nor its hex, nor its bytes', async function () {
        const bytes = await tableBytes(database, TWO_FACTOR_TABLE_NAMES.credentials);
        for (const needle of forbiddenNeedles(user, []))
          expect(bytes.includes(needle.bytes), needle.label).to.equal(false);
        expect(bytes.toString()).to.include('sf1.k1.');
      });

      it('S18: the backup-code table holds no backup code, formatted or normalised', async function () {
        const bytes = await tableBytes(database, TWO_FACTOR_TABLE_NAMES.backupCodes);
        for (const needle of forbiddenNeedles(user, everyCode))
          expect(bytes.includes(needle.bytes), needle.label).to.equal(false);
        expect(bytes.toString()).to.include('scrypt$');
      });

      it('S27: the audit table holds no secret and no backup code', async function () {
        const bytes = await tableBytes(database, TWO_FACTOR_TABLE_NAMES.auditEvents);
        for (const needle of forbiddenNeedles(user, everyCode))
          expect(bytes.includes(needle.bytes), needle.label).to.equal(false);
        expect(bytes.toString()).to.include('backup_code.used');
      });

      it('S6: the database files on disk hold no secret and no backup code', async function () {
        const bytes = await fileBytes(database);
        if (bytes === null) return;
        expect(bytes.length).to.be.greaterThan(0);
        for (const needle of forbiddenNeedles(user, everyCode))
          expect(bytes.includes(needle.bytes), needle.label).to.equal(false);
        // The file really contains the rows: the envelope prefix and a hash are there.
        expect(bytes.includes(Buffer.from('sf1.k1.'))).to.equal(true);
        expect(bytes.includes(Buffer.from('scrypt$'))).to.equal(true);
      });
    });
  });
});
