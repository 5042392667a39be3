/**
 * One status per code at the HTTP layer: `RouteError` takes its status from `ROUTE_ERROR_STATUS`,
 * and the challenge answers "no login to finish" with the strategy's code and status, or with its
 * own 409 for a session that is already signed in.
 */
import * as chai from 'chai';
import { Keyring, MemoryTwoFactorStore, TwoFactorService } from '@secondfactor/core';
import {
  createTwoFactorWeb,
  ROUTE_ERROR_STATUS,
  RouteError,
  RouteErrorCode,
  toProblem,
  type LoginState,
  type SecondStepResult,
  type WebRequest,
} from '../src';

const { expect } = chai;

interface Native {
  user?: { id: string; email: string };
}

/** The strategy's own answer when no login is pending, by its shape (passport-totp's NoPendingLoginError). */
const NO_PENDING_LOGIN: SecondStepResult = {
  ok: false,
  error: {
    code: 'TWO_FACTOR_NO_PENDING_LOGIN',
    status: 401,
    message: 'Your sign-in has expired.',
    expose: true,
    headers: {},
  },
};

function setup(loginState: LoginState) {
  const service = new TwoFactorService({
    store: new MemoryTwoFactorStore({ quiet: true }),
    keyring: Keyring.parse(`k1:${Buffer.alloc(32, 5).toString('base64')}`),
    issuer: 'Acme Billing',
    verifyPassword: () => false,
  });
  return createTwoFactorWeb<{ id: string; email: string }, Native>({
    service,
    strategy: { verify: async () => NO_PENDING_LOGIN, loginState: () => loginState },
    getUser: (native) => native.user,
    getUserId: (user) => user.id,
    getAccountName: (user) => user.email,
  });
}

function request(native: Native, method: 'GET' | 'POST', path: string): WebRequest<Native> {
  return {
    method,
    path,
    params: {},
    query: {},
    readBody: async () => ({ code: '123456' }),
    accept: 'application/json',
    contentType: 'application/json',
    csrfToken: 'token',
    session: { data: {}, logIn: async () => undefined },
    meta: {},
    native,
  };
}

const ADA = { id: 'u-1', email: 'ada@example.com' };

describe('RouteError', () => {
  describe('when built for each route code', () => {
    for (const code of Object.values(RouteErrorCode))
      it(`${code} carries its one status, ${ROUTE_ERROR_STATUS[code]}`, () => {
        const error = new RouteError(code);
        expect(error).to.include({ code, status: ROUTE_ERROR_STATUS[code], expose: true });
        const problem = toProblem(error);
        if (error.status < 500) expect(problem).to.deep.equal({ status: error.status, code, headers: {} });
        else expect(problem).to.deep.equal({ status: 500, code: 'TWO_FACTOR_INTERNAL', headers: {} });
      });
  });
});

describe('createTwoFactorWeb', () => {
  describe('when the challenge finds no login to finish', () => {
    for (const method of ['GET', 'POST'] as const) {
      it(`S20: ${method} answers 401 TWO_FACTOR_NO_PENDING_LOGIN to someone not signed in, as the strategy does`, async () => {
        const route = setup('none').routes.find((r) => r.router === 'challenge' && r.method === method)!;
        const response = await route.handle(request({}, method, '/login/two-factor'));
        expect(response).to.deep.include({ kind: 'json', status: 401 });
        expect(response.kind === 'json' && response.json).to.deep.equal({
          error: { code: 'TWO_FACTOR_NO_PENDING_LOGIN', message: 'Your login has expired. Log in again.' },
        });
      });

      it(`S20: ${method} answers 409 TWO_FACTOR_ALREADY_SIGNED_IN to a session that is signed in`, async () => {
        const route = setup('none').routes.find((r) => r.router === 'challenge' && r.method === method)!;
        const response = await route.handle(request({ user: ADA }, method, '/login/two-factor'));
        expect(response).to.deep.include({ kind: 'json', status: 409 });
        expect(response.kind === 'json' && response.json).to.deep.equal({
          error: { code: 'TWO_FACTOR_ALREADY_SIGNED_IN', message: 'You are already logged in.' },
        });
      });
    }
  });

  describe("when the host's user id is not one the stores can hold", () => {
    it('answers 400 TWO_FACTOR_INVALID_USER_ID, never a 500', async () => {
      const status = setup('none').routes.find((r) => r.flow === 'status')!;
      const response = await status.handle(
        request({ user: { id: 'u-1 ', email: 'ada@example.com' } }, 'GET', '/account/security/two-factor'),
      );
      expect(response).to.deep.include({ kind: 'json', status: 400 });
      expect(response.kind === 'json' && response.json).to.deep.equal({
        error: { code: 'TWO_FACTOR_INVALID_USER_ID', message: 'Your account could not be identified. Log in again.' },
      });
    });
  });
});
