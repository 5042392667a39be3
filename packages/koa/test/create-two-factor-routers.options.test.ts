import * as chai from 'chai';
import { ConfigurationError } from '@secondfactor/core';
import koaPassport from 'koa-passport';
import { TotpStrategy } from '@secondfactor/passport-totp';
import { createTwoFactorRouters, type TwoFactorRoutesOptions } from '../src';
import { createWorld } from '@secondfactor/test-utils';

const { expect } = chai;

type User = { id: string; email: string };

function validOptions(): TwoFactorRoutesOptions<User, 'string'> {
  const world = createWorld();
  return {
    service: world.service,
    strategy: new TotpStrategy({ service: world.service }),
    getUser: (ctx) => ctx.state.user as User | undefined,
    getUserId: (user) => user.id,
    getAccountName: (user) => user.email,
  };
}

function setupError(change: (options: Record<string, unknown>) => void): unknown {
  const options = validOptions() as unknown as Record<string, unknown>;
  change(options);
  try {
    createTwoFactorRouters(options as unknown as TwoFactorRoutesOptions<User>);
  } catch (error) {
    return error;
  }
  return null;
}

describe('createTwoFactorRouters', () => {
  describe('when the options are valid', () => {
    it('builds the routers with the default prefixes', () => {
      const routers = createTwoFactorRouters(validOptions());
      expect(routers.management.opts.prefix).to.equal('/account/security/two-factor');
      expect(routers.challenge.opts.prefix).to.equal('/login/two-factor');
    });

    it('builds its own TotpStrategy from loadUser when no strategy is given', () => {
      const { strategy: _strategy, ...options } = validOptions();
      const routers = createTwoFactorRouters({ ...options, loadUser: (id) => ({ id, email: `${id}@example.com` }) });
      expect(routers.beginSecondFactor).to.be.a('function');
    });

    it('accepts custom prefixes and drops a trailing slash', () => {
      const routers = createTwoFactorRouters({
        ...validOptions(),
        managementPrefix: '/settings/2fa/',
        challengePrefix: '/auth/2fa',
      });
      expect(routers.management.opts.prefix).to.equal('/settings/2fa');
      expect(routers.challenge.opts.prefix).to.equal('/auth/2fa');
    });
  });

  describe('when an option is wrong', () => {
    const cases: Array<[string, (options: Record<string, unknown>) => void, RegExp]> = [
      ['no service', (o) => delete o.service, /service must be a TwoFactorService/],
      ['a service without methods', (o) => (o.service = {}), /service must be a TwoFactorService/],
      ['neither a strategy nor loadUser', (o) => delete o.strategy, /loadUser must be a function/],
      [
        'a strategy and loadUser beside it',
        (o) => (o.loadUser = () => null),
        /give loadUser and passwordFingerprint to your TotpStrategy/,
      ],
      ['a strategy without verify', (o) => (o.strategy = { name: 'totp' }), /strategy must be the TotpStrategy/],
      [
        'the passport option of earlier versions',
        (o) => (o.passport = new koaPassport.KoaPassport()),
        /the passport option is gone: pass strategy/,
      ],
      ['a strategyName', (o) => (o.strategyName = 'second'), /the strategyName option is gone/],
      ['a getUser that is not a function', (o) => (o.getUser = 'user'), /getUser must be a function/],
      ['a getUserId that is not a function', (o) => (o.getUserId = 'id'), /getUserId must be a function/],
      [
        'a getAccountName that is not a function',
        (o) => (o.getAccountName = 'email'),
        /getAccountName must be a function/,
      ],
      [
        'a prefix without a leading slash',
        (o) => (o.managementPrefix = 'account/2fa'),
        /managementPrefix must be a path/,
      ],
      ['the root as prefix', (o) => (o.challengePrefix = '/'), /challengePrefix must be a path/],
      [
        'the same prefix twice',
        (o) => Object.assign(o, { managementPrefix: '/2fa', challengePrefix: '/2fa' }),
        /must differ/,
      ],
      [
        'an absolute successRedirect (open redirect)',
        (o) => (o.successRedirect = 'https://evil.example/'),
        /successRedirect must be a local path/,
      ],
      [
        'a protocol-relative loginPath (open redirect)',
        (o) => (o.loginPath = '//evil.example/login'),
        /loginPath must be a local path/,
      ],
      ['a layout that is not a function', (o) => (o.layout = '<html>'), /layout must be a function/],
      ['an unknown view', (o) => (o.views = { chalenge: () => '' }), /views\.chalenge is not a known view/],
      ['a view that is not a function', (o) => (o.views = { challenge: 'x' }), /views\.challenge must be a function/],
      ['an unknown text', (o) => (o.texts = { enableButon: 'On' }), /texts\.enableButon is not a known text/],
      ['a text of the wrong type', (o) => (o.texts = { enableButton: 42 }), /texts\.enableButton must be a string/],
      ['a text function given as string', (o) => (o.texts = { qrAlt: 'QR' }), /texts\.qrAlt must be a function/],
      [
        'an unknown error code text',
        (o) => (o.texts = { errors: { TWO_FACTOR_NOPE: 'x' } }),
        /texts\.errors\.TWO_FACTOR_NOPE is not a known error code/,
      ],
      ['a bad bodyLimit', (o) => (o.bodyLimit = 'lots'), /bodyLimit must be/],
      ['a non-boolean requireCsrf', (o) => (o.requireCsrf = 'yes'), /requireCsrf must be a boolean/],
      ['a misspelt option', (o) => (o.succesRedirect = '/'), /unknown option "succesRedirect"/],
    ];
    for (const [name, change, message] of cases) {
      it(`fails at setup with a clear message for ${name}`, () => {
        const error = setupError(change);
        expect(error).to.be.instanceOf(ConfigurationError);
        expect((error as Error).message)
          .to.match(/^createTwoFactorRouters: /)
          .and.to.match(message);
      });
    }

    it('fails at setup without any options object', () => {
      expect(() => createTwoFactorRouters(undefined as unknown as TwoFactorRoutesOptions)).to.throw(
        ConfigurationError,
        /options must be an object/,
      );
    });

    it('fails when requireSecondFactor is given a non-local redirect', () => {
      const routers = createTwoFactorRouters(validOptions());
      expect(() => routers.requireSecondFactor({ redirectTo: 'https://evil.example/' })).to.throw(
        ConfigurationError,
        /redirectTo must be a local path/,
      );
    });
  });
});
