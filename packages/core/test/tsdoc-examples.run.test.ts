/**
 * The `@example` blocks of the TOTP, input, backup-code, throttle and cipher modules run as written
 * and give the values their comments state, so a reader who copies one gets what it promises.
 */
import * as chai from 'chai';
import { runTsdocExample, tsdocExamples } from './support/tsdoc-examples';

const { expect } = chai;

const FILES = [
  'totp.ts',
  'code-input.ts',
  'backup-codes.ts',
  'throttle-policy.ts',
  'password-throttle-policy.ts',
  'secret-cipher.ts',
];

describe('TSDoc examples', function () {
  for (const file of FILES) {
    describe(`when the examples of ${file} are run`, function () {
      for (const example of tsdocExamples(file)) {
        it(`runs the ${example.name} example as written, with the values it states`, async function () {
          await runTsdocExample(example);
        });
      }
    });
  }

  describe('when the examples of secret-cipher.ts are read', function () {
    it('S6: the envelopeKeyId example builds a real envelope and states its key id', async function () {
      const example = tsdocExamples('secret-cipher.ts').find((e) => e.name === 'envelopeKeyId');
      expect(example, 'envelopeKeyId has an @example').to.not.equal(undefined);
      expect(await runTsdocExample(example!)).to.equal(1);
    });
  });
});
