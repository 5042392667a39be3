/** The options Express adds to @secondfactor/web's (validated there, at setup), and its CSRF glue. */
import * as chai from 'chai';
import { ConfigurationError } from '@secondfactor/core';
import { TotpStrategy } from '@secondfactor/passport-totp';
import { Client, createWorld, MANAGEMENT, ADA } from '@secondfactor/test-utils';
import type { Request } from 'express';
import { createTwoFactorRouters, csrfTokenFromRequest, type TwoFactorRoutesOptions } from '../src';
import { createHost } from './support/host';

const { expect } = chai;

type User = { id: string; email: string };

function validOptions(): TwoFactorRoutesOptions<User, 'string'> {
  const world = createWorld();
  return {
    service: world.service,
    strategy: new TotpStrategy({ service: world.service }),
    getUser: (req) => req.user as User | undefined,
    getUserId: (user) => user.id,
    getAccountName: (user) => user.email,
  };
}

describe('createTwoFactorRouters (Express)', () => {
  describe('when an option is wrong', () => {
    it('fails at setup for an onError that is not a function', () => {
      expect(() => createTwoFactorRouters({ ...validOptions(), onError: 'log' as never })).to.throw(
        ConfigurationError,
        /onError must be a function/,
      );
    });

    it('fails at setup without a strategy or loadUser, and with both', () => {
      const { strategy: _strategy, ...withoutStrategy } = validOptions();
      expect(() => createTwoFactorRouters(withoutStrategy)).to.throw(ConfigurationError, /loadUser must be a function/);
      expect(() => createTwoFactorRouters({ ...validOptions(), passwordFingerprint: () => 'hash' })).to.throw(
        ConfigurationError,
        /give loadUser and passwordFingerprint to your TotpStrategy/,
      );
      expect(
        createTwoFactorRouters({ ...withoutStrategy, loadUser: (id) => ({ id, email: 'ada@example.com' }) })
          .beginSecondFactor,
      ).to.be.a('function');
    });

    it('fails at setup, naming the option, for the options every adapter shares', () => {
      expect(() => createTwoFactorRouters({ ...validOptions(), loginPath: '//evil.example' })).to.throw(
        ConfigurationError,
        /^createTwoFactorRouters: loginPath must be a local path/,
      );
      expect(() => createTwoFactorRouters(undefined as never)).to.throw(
        ConfigurationError,
        /options must be an object/,
      );
    });
  });

  describe('when another error reaches the CSRF error handler', () => {
    it('passes it on to the host', () => {
      const { csrfErrorHandler } = createTwoFactorRouters(validOptions());
      const passed: unknown[] = [];
      const other = new Error('not a CSRF refusal');
      csrfErrorHandler(other, {} as never, {} as never, (error?: unknown) => passed.push(error));
      expect(passed).to.deep.equal([other]);
    });
  });

  describe('when csrf-sync reads the token', () => {
    it('S25: takes the _csrf body field or the x-csrf-token header, never the query string', () => {
      const req = (body: unknown, headers: Record<string, string> = {}, query = {}) =>
        ({ body, headers, query }) as unknown as Request;
      expect(csrfTokenFromRequest(req({ _csrf: 'from-body' }, { 'x-csrf-token': 'from-header' }))).to.equal(
        'from-body',
      );
      expect(csrfTokenFromRequest(req(undefined, { 'x-csrf-token': 'from-header' }))).to.equal('from-header');
      expect(csrfTokenFromRequest(req({ _csrf: ['a', 'b'] }))).to.equal(undefined);
      expect(csrfTokenFromRequest(req({}, {}, { _csrf: 'from-query' }))).to.equal(undefined);
    });
  });

  describe('when a fault is answered', () => {
    it('reports it to onError and answers a bare 500', async () => {
      const host = createHost({
        routes: {
          getAccountName: () => {
            throw new Error('connection string mysql://root:hunter2@db');
          },
        },
      });
      const ada = new Client(host);
      await ada.logInFully(ADA);
      const res = await ada.postJson(`${MANAGEMENT}/enroll`);
      expect(res.status).to.equal(500);
      expect(res.text).to.not.contain('hunter2');
      expect((host.errors[0] as Error).message).to.contain('hunter2');
    });
  });
});
