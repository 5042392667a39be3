/** TypeOrmPasswordThrottleStore fails closed: a database it cannot reach is core's StoreUnavailableError (503). */
import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';
import { PasswordThrottle, StoreUnavailableError } from '@secondfactor/core';
import { TypeOrmPasswordThrottleStore } from '../src';
import { openDatabase } from './support/databases';

chai.use(chaiAsPromised);
const { expect } = chai;

describe('TypeOrmPasswordThrottleStore', function () {
  describe('when the DataSource was destroyed', function () {
    it('S32: every primitive rejects with StoreUnavailableError, so no password is checked unthrottled', async function () {
      const database = await openDatabase('sqlite-memory');
      const throttle = new PasswordThrottle(new TypeOrmPasswordThrottleStore(database.dataSource));
      const claim = await throttle.claimAccount('ada@example.com');
      if (!claim.ok) throw new Error('a fresh account has no wait');
      await database.teardown();
      await expect(throttle.claimAddress('203.0.113.7')).to.be.rejectedWith(StoreUnavailableError);
      await expect(throttle.claimAccount('ada@example.com')).to.be.rejectedWith(StoreUnavailableError);
      await expect(throttle.failed(claim)).to.be.rejectedWith(StoreUnavailableError);
      await expect(throttle.succeeded(claim)).to.be.rejectedWith(StoreUnavailableError);
    });
  });
});
