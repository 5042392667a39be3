import * as chai from 'chai';
import * as testUtils from '../src';

const { expect } = chai;

describe('@secondfactor/test-utils', function () {
  describe('when imported', function () {
    it('exports exactly the documented names', function () {
      expect(Object.keys(testUtils).sort()).to.deep.equal([
        'ADA',
        'BOB',
        'BROWSER_ACCEPT',
        'CHALLENGE',
        'Client',
        'DEFAULT_FAKE_CLOCK_START',
        'FakeClock',
        'MANAGEMENT',
        'SUB',
        'VECTOR_FIXTURES_DIR',
        'capture',
        'createWorld',
        'formWithButton',
        'forms',
        'liveErrors',
        'loadHotpVectors',
        'loadTotpVectors',
        'runAdapterSuite',
        'runStoreConformanceSuite',
      ]);
    });
  });
});
