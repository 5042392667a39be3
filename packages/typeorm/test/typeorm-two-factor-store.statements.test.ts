import * as chai from 'chai';
import { TypeOrmTwoFactorStore } from '../src';
import { EVERY_DIALECT, forEachDatabase, openDatabase, type TestDatabase } from './support/databases';
import { StatementCounter } from './support/statement-counter';
import { currentCode, enroll, makeService } from './support/two-factor-fixture';

const { expect } = chai;

describe('TypeOrmTwoFactorStore', function () {
  forEachDatabase(EVERY_DIALECT, (kind) => {
    describe('when a code is verified successfully', function () {
      let database: TestDatabase;
      const counter = new StatementCounter();

      before(async function () {
        database = await openDatabase(kind, { logger: counter });
      });

      after(async function () {
        await database?.teardown();
      });

      it('issues exactly 2 SQL statements: one SELECT and one conditional UPDATE', async function () {
        const store = new TypeOrmTwoFactorStore(database.dataSource);
        const fixture = makeService(store);
        const user = await enroll(fixture);
        counter.reset();
        const outcome = await fixture.service.verifyCode({
          userId: user.userId,
          code: currentCode(fixture, user.secret),
        });
        expect(outcome.ok).to.equal(true);
        expect(counter.statements, counter.statements.join('\n')).to.have.length(2);
        expect(counter.statements[0]).to.match(/^SELECT /);
        expect(counter.statements[1]).to.match(/^UPDATE [^\n]*two_factor_credentials.*\s+SET last_used_step/);
      });

      it('issues no transaction statements for it (no BEGIN or COMMIT)', async function () {
        const store = new TypeOrmTwoFactorStore(database.dataSource);
        const fixture = makeService(store);
        const user = await enroll(fixture);
        counter.reset();
        await fixture.service.verifyCode({ userId: user.userId, code: currentCode(fixture, user.secret) });
        expect(counter.statements.filter((sql) => /BEGIN|START TRANSACTION|COMMIT/i.test(sql))).to.deep.equal([]);
      });
    });

    describe('when the password step asks whether 2FA is on', function () {
      let database: TestDatabase;
      const counter = new StatementCounter();

      before(async function () {
        database = await openDatabase(kind, { logger: counter });
      });

      after(async function () {
        await database?.teardown();
      });

      it('S20: isEnabled issues exactly 1 SQL statement, a SELECT by user_id, with 2FA on and off', async function () {
        const store = new TypeOrmTwoFactorStore(database.dataSource);
        const fixture = makeService(store);
        const user = await enroll(fixture);
        for (const [userId, expected] of [
          [user.userId, true],
          [`user-without-2fa-${kind}`, false],
        ] as const) {
          counter.reset();
          expect(await fixture.service.isEnabled(userId)).to.equal(expected);
          expect(counter.statements, counter.statements.join('\n')).to.have.length(1);
          expect(counter.statements[0]).to.match(/^\s*SELECT [^]*two_factor_credentials[^]*WHERE user_id = /);
        }
      });

      it('S20, S34: passwordStep without a device cookie issues exactly that 1 SELECT, with 2FA on and off', async function () {
        const store = new TypeOrmTwoFactorStore(database.dataSource);
        const fixture = makeService(store);
        const user = await enroll(fixture);
        for (const [userId, expected] of [
          [user.userId, 'required'],
          [`user-without-2fa-${kind}`, 'off'],
        ] as const) {
          counter.reset();
          expect((await fixture.service.passwordStep({ userId })).secondFactor).to.equal(expected);
          expect(counter.statements, counter.statements.join('\n')).to.have.length(1);
        }
      });

      it('S34: a trusted device costs one more indexed read on token_hash, and its last-used write happens at most hourly', async function () {
        const store = new TypeOrmTwoFactorStore(database.dataSource);
        const fixture = makeService(store);
        const user = await enroll(fixture);
        const grant = await fixture.service.trustDevice({ userId: user.userId, label: 'Firefox on Linux' });
        if (!grant.ok) throw grant.error;
        const step = () => fixture.service.passwordStep({ userId: user.userId, deviceToken: grant.token });
        counter.reset();
        expect((await step()).secondFactor).to.equal('trusted-device');
        expect(counter.statements, 'first use: two reads and the last-used write').to.have.length(3);
        expect(counter.statements[1]).to.match(/^SELECT [^]*two_factor_trusted_devices[^]*WHERE token_hash = /);
        expect(counter.statements[2]).to.match(/^UPDATE [^]*two_factor_trusted_devices[^]*SET last_used_at/);
        fixture.clock.advance({ minutes: 59 });
        counter.reset();
        expect((await step()).secondFactor).to.equal('trusted-device');
        expect(counter.statements, 'within the hour: the two reads only').to.have.length(2);
        expect(counter.statements.filter((sql) => /BEGIN|START TRANSACTION|COMMIT/i.test(sql))).to.deep.equal([]);
      });

      it('S20: status, which the password step asked before, issues 2 and calls the eligibility hook too', async function () {
        const store = new TypeOrmTwoFactorStore(database.dataSource);
        let eligibilityReads = 0;
        const fixture = makeService(store, {
          isEligible: () => {
            eligibilityReads += 1;
            return true;
          },
        });
        const user = await enroll(fixture);
        counter.reset();
        eligibilityReads = 0;
        expect((await fixture.service.status(user.userId)).enabled).to.equal(true);
        expect(counter.statements, counter.statements.join('\n')).to.have.length(2);
        expect(counter.statements[1]).to.match(/two_factor_backup_codes/);
        expect(eligibilityReads).to.equal(1);
      });
    });
  });
});
