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
