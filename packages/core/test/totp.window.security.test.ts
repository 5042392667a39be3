import * as chai from 'chai';
import {
  assertValidWindow,
  ConfigurationError,
  DEFAULT_WINDOW,
  generateTotp,
  MAX_WINDOW_STEPS,
  verifyTotp,
} from '../src';
import { codeAt, makeService, enroll, failure, success } from './support/service-fixture';

const { expect } = chai;

const SECRET = Buffer.from('12345678901234567890');
/** A moment in the middle of a step, far from 0 so that T-2 exists. */
const NOW_MS = 1_900_000_015_000;

function codeFor(offsetSteps: number): string {
  return generateTotp({ secret: SECRET, timeMs: NOW_MS + offsetSteps * 30_000 });
}

describe('verifyTotp', function () {
  describe('when the window is the default (past 1, future 1)', function () {
    it('S11: is { past: 1, future: 1 }', function () {
      expect(DEFAULT_WINDOW).to.deep.equal({ past: 1, future: 1 });
    });

    const expectations: Array<[number, boolean]> = [
      [-2, false],
      [-1, true],
      [0, true],
      [1, true],
      [2, false],
    ];
    for (const [offset, accepted] of expectations) {
      it(`S11: ${accepted ? 'accepts' : 'refuses'} the code of T${offset === 0 ? '' : offset > 0 ? `+${offset}` : offset}`, function () {
        const result = verifyTotp({ secret: SECRET, code: codeFor(offset), timeMs: NOW_MS });
        if (accepted)
          expect(result).to.deep.equal({ valid: true, timeStep: Math.floor(NOW_MS / 30_000) + offset, delta: offset });
        else expect(result).to.deep.equal({ valid: false });
      });
    }
  });

  describe('when the window is { past: 0, future: 0 }', function () {
    it('S11: accepts only the current step: 0 means 0', function () {
      const window = { past: 0, future: 0 };
      expect(verifyTotp({ secret: SECRET, code: codeFor(0), timeMs: NOW_MS, window }).valid).to.equal(true);
      expect(verifyTotp({ secret: SECRET, code: codeFor(-1), timeMs: NOW_MS, window }).valid).to.equal(false);
      expect(verifyTotp({ secret: SECRET, code: codeFor(1), timeMs: NOW_MS, window }).valid).to.equal(false);
    });
  });

  describe('when the window is asymmetric', function () {
    it('S11: { past: 2, future: 0 } accepts T-2..T and refuses T+1', function () {
      const window = { past: 2, future: 0 };
      expect(
        [-3, -2, -1, 0, 1].map((o) => verifyTotp({ secret: SECRET, code: codeFor(o), timeMs: NOW_MS, window }).valid),
      ).to.deep.equal([false, true, true, true, false]);
    });

    it('S11: { past: 0, future: 2 } accepts T..T+2 and refuses T-1', function () {
      const window = { past: 0, future: 2 };
      expect(
        [-1, 0, 1, 2, 3].map((o) => verifyTotp({ secret: SECRET, code: codeFor(o), timeMs: NOW_MS, window }).valid),
      ).to.deep.equal([false, true, true, true, false]);
    });
  });

  describe('when the window exceeds the hard maximum or is not a whole number', function () {
    for (const [label, window] of [
      ['past 11', { past: MAX_WINDOW_STEPS + 1, future: 1 }],
      ['future 11', { past: 1, future: MAX_WINDOW_STEPS + 1 }],
      ['past -1', { past: -1, future: 1 }],
      ['past 1.5', { past: 1.5, future: 1 }],
      ['past NaN', { past: Number.NaN, future: 1 }],
    ] as const) {
      it(`S11: refuses ${label} with a ConfigurationError`, function () {
        expect(() => assertValidWindow(window)).to.throw(ConfigurationError);
        expect(() => verifyTotp({ secret: SECRET, code: codeFor(0), timeMs: NOW_MS, window })).to.throw(
          ConfigurationError,
        );
      });
    }

    it(`S11: allows exactly ${MAX_WINDOW_STEPS} steps either side`, function () {
      expect(() => assertValidWindow({ past: MAX_WINDOW_STEPS, future: MAX_WINDOW_STEPS })).to.not.throw();
    });
  });
});

describe('TwoFactorService', function () {
  describe('when configured with a window beyond the hard maximum', function () {
    it('S11: refuses at setup, not at the first request', function () {
      expect(() => makeService({ window: { past: 11 } })).to.throw(ConfigurationError, /window\.past/);
      expect(() => makeService({ window: { future: 50 } })).to.throw(ConfigurationError, /window\.future/);
    });
  });

  describe('when verifying at the window edges with the default window', function () {
    for (const [offset, accepted] of [
      [-2, false],
      [-1, true],
      [0, true],
      [1, true],
      [2, false],
    ] as const) {
      it(`S11: ${accepted ? 'accepts' : 'refuses'} the code of step T${offset >= 0 ? '+' : ''}${offset}`, async function () {
        const fixture = makeService();
        const user = await enroll(fixture, 'window-user');
        fixture.clock.advance({ minutes: 5 });
        const outcome = await fixture.service.verifyCode({
          userId: user.userId,
          code: codeAt(user.secret, fixture.clock, offset),
        });
        if (accepted) expect(success(outcome).step).to.equal(Math.floor(fixture.clock.nowMs() / 30_000) + offset);
        else expect(failure(outcome).error.code).to.equal('TWO_FACTOR_INVALID_CODE');
      });
    }
  });

  describe('when the window is { past: 0, future: 0 }', function () {
    it('S11: only the current step signs in', async function () {
      const fixture = makeService({ window: { past: 0, future: 0 } });
      const user = await enroll(fixture, 'narrow-user');
      fixture.clock.advance({ minutes: 5 });
      expect(
        failure(await fixture.service.verifyCode({ userId: user.userId, code: codeAt(user.secret, fixture.clock, -1) }))
          .error.status,
      ).to.equal(401);
      expect(
        failure(await fixture.service.verifyCode({ userId: user.userId, code: codeAt(user.secret, fixture.clock, 1) }))
          .error.status,
      ).to.equal(401);
      expect(
        success(await fixture.service.verifyCode({ userId: user.userId, code: codeAt(user.secret, fixture.clock) }))
          .method,
      ).to.equal('totp');
    });
  });

  describe('when a caller sends its own idea of the time', function () {
    it('S11: uses only the server clock', async function () {
      const fixture = makeService();
      const user = await enroll(fixture, 'clock-user');
      const clientTimeMs = fixture.clock.nowMs() + 3_600_000;
      const clientCode = generateTotp({ secret: user.secret, timeMs: clientTimeMs });
      const input = {
        userId: user.userId,
        code: clientCode,
        timeMs: clientTimeMs,
        now: new Date(clientTimeMs),
        clock: () => new Date(clientTimeMs),
      };
      const outcome = await fixture.service.verifyCode(input);
      expect(failure(outcome).error.code).to.equal('TWO_FACTOR_INVALID_CODE');
    });
  });
});
