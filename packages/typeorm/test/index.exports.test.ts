import * as chai from 'chai';
import * as typeorm from '../src';

const { expect } = chai;

describe('@secondfactor/typeorm', function () {
  describe('when imported', function () {
    it('exports exactly its documented public API', function () {
      expect(Object.keys(typeorm).sort()).to.deep.equal([
        'AddTwoFactorAuditRetentionIndex1795910400000',
        'CreateTwoFactorEnrollmentDeadlines1796601600000',
        'CreateTwoFactorPasswordThrottles1796688000000',
        'CreateTwoFactorTables1764288000000',
        'CreateTwoFactorTrustedDevices1796515200000',
        'TWO_FACTOR_TABLE_NAMES',
        'TwoFactorAuditEventEntity',
        'TwoFactorBackupCodeEntity',
        'TwoFactorCredentialEntity',
        'TwoFactorEnrollmentDeadlineEntity',
        'TwoFactorPasswordThrottleEntity',
        'TwoFactorStoreUnavailable',
        'TwoFactorTrustedDeviceEntity',
        'TypeOrmPasswordThrottleStore',
        'TypeOrmTwoFactorStore',
        'createTypeOrmEventSink',
        'dataSourceOptionsFromUrl',
        'describeAuditBatchError',
        'listTwoFactorEvents',
        'pruneTwoFactorEvents',
        'reencryptSecrets',
        'twoFactorEntities',
        'twoFactorMigrations',
      ]);
    });
  });
});
