/**
 * No secret leaks (S6, S18, S27): after the full flows (enroll, log in with a code, with a backup
 * code, fail, regenerate, disable), no code, secret, backup code or otpauth URI appears in the
 * site's log, its audit events, its mail outbox or its database.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { base32Decode } from '@secondfactor/core';
import * as chai from 'chai';
import { userIdByEmail } from './back-door';
import { codeForStep, currentStep, expectStatus, passwordStep, registerUser, wrongCode } from './flows';
import { findSecrets, rawSecretSpellings, type KnownSecret } from './secret-scan';
import type { DatabaseDump, SiteUnderTest } from './site-under-test';

const { expect } = chai;

/** Every file under a folder, as one text per file. */
function readTree(dir: string): Record<string, string> {
  const texts: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) Object.assign(texts, readTree(path));
    else if (!/\.sqlite(-wal|-shm|-journal)?$/.test(name)) texts[path] = readFileSync(path, 'utf8');
  }
  return texts;
}

/**
 * The dump as one searchable text, one line per row, prefixed with its table.
 */
export function dumpText(dump: DatabaseDump): string {
  return Object.entries(dump)
    .flatMap(([table, rows]) => rows.map((row) => `${table}: ${JSON.stringify(row)}`))
    .join('\n');
}

/** Registers the leak tests against a started site. */
export function secretsTests(site: SiteUnderTest): void {
  describe('secrets in logs, events, mail and the database', () => {
    const secrets: KnownSecret[] = [];
    let userId = '';
    let dumpWhileActive = '';

    before(async function () {
      this.timeout(90_000);
      const user = await registerUser(site.url, 'secrets');
      userId = await userIdByEmail(site, user.email);
      secrets.push({ kind: 'password', value: user.password });
      // An abandoned enrollment first: its secret must not linger anywhere either.
      const abandoned = expectStatus(await user.browser.enroll(), 200, 'enroll').body;
      secrets.push(
        { kind: 'totp-secret', value: abandoned.secret },
        { kind: 'otpauth-uri', value: abandoned.otpauthUrl },
      );
      site.clock.advance({ minutes: 11 });
      const start = expectStatus(await user.browser.enroll(), 200, 'enroll again').body;
      expect(start.secret, 'the abandoned setup expired').not.to.equal(abandoned.secret);
      const secret: string = start.secret;
      secrets.push(
        { kind: 'totp-secret', value: secret },
        { kind: 'otpauth-uri', value: start.otpauthUrl },
        ...rawSecretSpellings(secret, base32Decode),
      );
      const step = currentStep(site.clock);
      const confirmCode = codeForStep(secret, step);
      secrets.push({ kind: 'totp-code', value: confirmCode });
      const confirmed = expectStatus(await user.browser.confirm(confirmCode), 200, 'confirm').body;
      for (const code of confirmed.backupCodes) secrets.push({ kind: 'backup-code', value: code });

      // A wrong code, a replay, a good code, a backup code (which issues a new one), a regeneration.
      const guess = wrongCode(secret, site.clock);
      secrets.push({ kind: 'totp-code', value: guess });
      expect((await (await passwordStep(site.url, user)).challenge({ code: guess })).status).to.equal(401);
      expect((await (await passwordStep(site.url, user)).challenge({ code: confirmCode })).status).to.equal(401);
      const loginCode = codeForStep(secret, step + 1);
      secrets.push({ kind: 'totp-code', value: loginCode });
      expectStatus(await (await passwordStep(site.url, user)).challenge({ code: loginCode }), 200, 'login with code');
      const withBackup = expectStatus(
        await (await passwordStep(site.url, user)).challenge({ backupCode: confirmed.backupCodes[0] }),
        200,
        'login with backup code',
      );
      for (const code of withBackup.body.backupCodes ?? []) secrets.push({ kind: 'backup-code', value: code });
      const regenerated = expectStatus(await user.browser.regenerateBackupCodes(user.password), 200, 'regenerate').body;
      for (const code of regenerated.backupCodes) secrets.push({ kind: 'backup-code', value: code });
      expect(
        (await (await passwordStep(site.url, user)).challenge({ backupCode: 'ZZZZ-ZZZZ-ZZZZ-ZZZZ' })).status,
      ).to.equal(401);
      dumpWhileActive = dumpText(await site.dump());
      expectStatus(await user.browser.disable(user.password), 200, 'disable');
    });

    describe('when the site log is searched', () => {
      it('S27: no code, secret, backup code, otpauth URI or password in any line the site logged', () => {
        const log = site.logLines.join('\n');
        expect(log, 'the site logged this user').to.contain(`user=${userId}`);
        expect(findSecrets({ log }, secrets)).to.deep.equal([]);
      });
    });

    describe('when the audit events are searched', () => {
      it('S27: every flow left events, none of which carries a secret', async () => {
        const events = await site.sql<Record<string, unknown>>(
          'SELECT * FROM two_factor_audit_events WHERE user_id = ?',
          [userId],
        );
        const types = events.map((event) => String(event.type ?? event.event_type));
        for (const type of [
          'enrollment.started',
          'enabled',
          'code.failed',
          'code.replayed',
          'code.verified',
          'backup_code.used',
          'backup_codes.regenerated',
          'backup_code.failed',
          'disabled',
        ]) {
          expect(types, type).to.include(type);
        }
        expect(findSecrets({ audit: JSON.stringify(events) }, secrets)).to.deep.equal([]);
      });
    });

    describe('when the mail outbox and data folder are searched', () => {
      it('S26, S27: notifications went out and carry no secret', () => {
        const files = readTree(site.dataDir);
        const mail = Object.entries(files).filter(([, text]) => /two-factor|backup code/i.test(text));
        expect(mail.length, 'notification mail was written to the outbox').to.be.greaterThan(0);
        expect(findSecrets(files, secrets)).to.deep.equal([]);
      });
    });

    describe('when the raw database is searched', () => {
      it('S6, S18: no plaintext secret, backup code or code in any table while 2FA is on, sessions included', () => {
        expect(dumpWhileActive, 'the dump has the credential').to.include('two_factor_credentials:');
        expect(dumpWhileActive, 'and the backup code hashes').to.include('two_factor_backup_codes:');
        expect(dumpWhileActive, 'and the sessions').to.include('secondfactor_sessions:');
        expect(findSecrets({ database: dumpWhileActive }, secrets)).to.deep.equal([]);
      });

      it('S27: nothing is left behind after 2FA is disabled either', async () => {
        expect(findSecrets({ database: dumpText(await site.dump()) }, secrets)).to.deep.equal([]);
      });
    });
  });
}
