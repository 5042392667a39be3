/**
 * Secrets at rest on SQLite (S6, S18): the database file itself, byte for byte (with its WAL
 * journal), never holds a TOTP secret, a backup code or a password in the clear, and the files are
 * readable by their owner only.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { base32Decode } from '@secondfactor/core';
import * as chai from 'chai';
import { enableTwoFactorUser, expectStatus, passwordStep } from './flows';
import type { SiteUnderTest } from './site-under-test';

const { expect } = chai;

/** The database file and its journals, as one buffer per file. */
function sqliteFiles(file: string): Record<string, Buffer> {
  const files: Record<string, Buffer> = {};
  for (const path of [file, `${file}-wal`, `${file}-journal`]) if (existsSync(path)) files[path] = readFileSync(path);
  return files;
}

/** Which of the needles occur in which file. */
function occurrences(files: Record<string, Buffer>, needles: Record<string, Buffer>): string[] {
  const found: string[] = [];
  for (const [path, bytes] of Object.entries(files)) {
    for (const [name, needle] of Object.entries(needles)) if (bytes.includes(needle)) found.push(`${name} in ${path}`);
  }
  return found;
}

/** Registers the at-rest tests against a started site on SQLite. */
export function secretsAtRestTests(site: SiteUnderTest): void {
  describe('secrets at rest in the SQLite file', () => {
    describe('when customers enable 2FA, use a backup code and stay pending', () => {
      it('S6, S18: the SQLite file and its WAL hold no secret, backup code or password in any spelling', async () => {
        const user = await enableTwoFactorUser(site.url, 'at-rest', site.clock);
        const browser = await passwordStep(site.url, user);
        const used = expectStatus(await browser.challenge({ backupCode: user.backupCodes[0] }), 200, 'backup login');
        const pending = await enableTwoFactorUser(site.url, 'at-rest-2', site.clock);
        const secretBytes = Buffer.from(base32Decode(user.secret) as Uint8Array);
        const needles: Record<string, Buffer> = {
          'base32 secret': Buffer.from(user.secret),
          'grouped secret': Buffer.from(user.secret.match(/.{4}/g)?.join(' ') ?? ''),
          'raw secret bytes': secretBytes,
          'hex secret': Buffer.from(secretBytes.toString('hex')),
          'base64 secret': Buffer.from(secretBytes.toString('base64').replace(/=+$/, '')),
          'second secret': Buffer.from(pending.secret),
          'used backup code': Buffer.from(user.backupCodes[0]),
          'used backup code, bare': Buffer.from(user.backupCodes[0].replace(/-/g, '')),
          'new backup code': Buffer.from(used.body.backupCodes[0]),
          'new backup code, bare': Buffer.from(String(used.body.backupCodes[0]).replace(/-/g, '')),
          password: Buffer.from(user.password),
        };
        const files = sqliteFiles(site.sqliteFile as string);
        expect(Object.keys(files)).to.include(site.sqliteFile);
        // The needles are real: the user's own rows are in the file (so the scan reads live data).
        expect(Object.values(files).some((bytes) => bytes.includes(Buffer.from(user.email)))).to.equal(true);
        expect(occurrences(files, needles)).to.deep.equal([]);
      });
    });

    describe('when the site has started and written to its database', () => {
      it('the SQLite file, its WAL and its shared-memory file are 0600, like the key files', async () => {
        await enableTwoFactorUser(site.url, 'at-rest-mode', site.clock);
        const file = site.sqliteFile as string;
        const modes = Object.fromEntries(
          [file, `${file}-wal`, `${file}-shm`].map((path) => [path, (statSync(path).mode & 0o777).toString(8)]),
        );
        expect(Object.values(modes), JSON.stringify(modes)).to.deep.equal(['600', '600', '600']);
      });
    });
  });
}
