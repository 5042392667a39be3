/**
 * "Nearest step wins" (S11, S12): a 6-digit code can be valid at two steps of the window. The
 * match nearest the current step is accepted (a tie goes to the past), because the accepted step is
 * recorded as used: taking a later step would refuse the user's next honest code as a replay.
 *
 * The steps below were found by searching RFC 6238's SHA1 seed forward from step 50 000 000 for
 * equal codes: the first pair one step apart, and the first pair two steps apart.
 */
import * as chai from 'chai';
import { hotp, SecretCipher, verifyTotp, type TotpWindow } from '../src';
import { makeService, success } from './support/service-fixture';

const { expect } = chai;

const SECRET = Buffer.from('12345678901234567890');
/** hotp(ADJACENT) === hotp(ADJACENT + 1) === '070562'. */
const ADJACENT = 50_424_280;
/** hotp(GAP) === hotp(GAP + 2) === '407517', and hotp(GAP + 1) differs. */
const GAP = 50_897_033;

function code(step: number): string {
  return hotp({ secret: SECRET, counter: BigInt(step) });
}

/** A moment in the middle of `step`. */
function during(step: number): number {
  return step * 30_000 + 15_000;
}

function verify(shared: string, currentStep: number, window?: TotpWindow) {
  return verifyTotp({ secret: SECRET, code: shared, timeMs: during(currentStep), window });
}

describe('verifyTotp', function () {
  describe('when the code is valid at two steps of the window', function () {
    it('S11: the search found codes shared by two steps (the precondition of the cases below)', function () {
      expect(code(ADJACENT)).to.equal('070562');
      expect(code(ADJACENT + 1)).to.equal('070562');
      expect(code(GAP)).to.equal('407517');
      expect(code(GAP + 2)).to.equal('407517');
      expect(code(GAP + 1)).to.not.equal('407517');
    });

    it('S11, S12: prefers the current step over the previous one', function () {
      expect(verify('070562', ADJACENT + 1)).to.deep.equal({ valid: true, timeStep: ADJACENT + 1, delta: 0 });
    });

    it('S11, S12: prefers the current step over the next one', function () {
      expect(verify('070562', ADJACENT)).to.deep.equal({ valid: true, timeStep: ADJACENT, delta: 0 });
    });

    it('S11, S12: prefers the nearer of two past steps', function () {
      expect(verify('070562', ADJACENT + 2, { past: 2, future: 0 })).to.deep.equal({
        valid: true,
        timeStep: ADJACENT + 1,
        delta: -1,
      });
    });

    it('S11, S12: prefers the nearer of two future steps', function () {
      expect(verify('070562', ADJACENT - 1, { past: 0, future: 2 })).to.deep.equal({
        valid: true,
        timeStep: ADJACENT,
        delta: 1,
      });
    });

    it('S11, S12: breaks a tie between one step back and one step ahead in favour of the past', function () {
      expect(verify('407517', GAP + 1)).to.deep.equal({ valid: true, timeStep: GAP, delta: -1 });
    });
  });
});

describe('TwoFactorService', function () {
  describe('when the code typed is also the code of the next step', function () {
    it('S12: records the current step, so the same digits sign in again at the next step', async function () {
      const fixture = makeService();
      fixture.clock.set(during(ADJACENT - 1));
      success(await fixture.service.beginEnrollment({ userId: 'u1', accountName: 'ada@example.com' }));
      // The app was set up with RFC 6238's seed, whose codes repeat at ADJACENT and ADJACENT + 1.
      const record = await fixture.store.findByUserId('u1');
      if (!record) throw new Error('no pending enrollment');
      await fixture.store.updateSecret({
        credentialId: record.id,
        expectedEncryptedSecret: record.encryptedSecret,
        encryptedSecret: new SecretCipher(fixture.keyring).encrypt(SECRET, { userId: 'u1', credentialId: record.id }),
        keyId: fixture.keyring.currentKeyId,
        now: fixture.clock.now(),
      });
      success(await fixture.service.confirmEnrollment({ userId: 'u1', code: code(ADJACENT - 1) }));
      fixture.clock.set(during(ADJACENT));
      expect(success(await fixture.service.verifyCode({ userId: 'u1', code: '070562' })).step).to.equal(ADJACENT);
      fixture.clock.set(during(ADJACENT + 1));
      expect(success(await fixture.service.verifyCode({ userId: 'u1', code: '070562' })).step).to.equal(ADJACENT + 1);
    });
  });
});
