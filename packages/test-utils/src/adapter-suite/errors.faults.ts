/** Faults never leak: 503 keeps its stable code with a generic message, anything else is a bare 500. */
import * as chai from 'chai';
import { DecryptionError, type TwoFactorService } from '@secondfactor/core';
import { CHALLENGE, Client, MANAGEMENT } from './client';
import type { CreateHost } from './host';
import { liveErrors } from './html';
import { ADA, createWorld } from './world';

const { expect } = chai;

const UNAVAILABLE = {
  error: {
    code: 'TWO_FACTOR_UNAVAILABLE',
    message: 'Two-factor authentication is temporarily unavailable. Try again later.',
  },
};
const INTERNAL = { error: { code: 'TWO_FACTOR_INTERNAL', message: 'Something went wrong. Try again later.' } };

/** Registers these tests for one adapter's host. */
export function faultTests(createHost: CreateHost): void {
  describe('fault handling', () => {
    describe('when the store is unreachable', () => {
      it('answers 503 TWO_FACTOR_UNAVAILABLE with a generic message on management routes and reports the fault', async () => {
        const host = createHost();
        const ada = new Client(host);
        await ada.logInFully(ADA);
        host.world.storeDown = true;
        const status = await ada.getJson(MANAGEMENT);
        expect(status.status).to.equal(503);
        expect(status.body).to.deep.equal(UNAVAILABLE);
        const enroll = await ada.postJson(`${MANAGEMENT}/enroll`);
        expect(enroll.status).to.equal(503);
        expect(enroll.body).to.deep.equal(UNAVAILABLE);
        const page = await ada.getHtml(MANAGEMENT);
        expect(page.status).to.equal(503);
        expect(liveErrors(page.text)).to.equal(UNAVAILABLE.error.message);
        expect(host.errors).to.have.length(3);
      });

      it('answers 503 on the challenge and keeps the login pending', async () => {
        const host = createHost();
        await host.world.enroll(ADA.id);
        const ada = new Client(host);
        await ada.logIn(ADA);
        host.world.storeDown = true;
        const res = await ada.postJson(CHALLENGE, { code: host.world.codeFor(ADA.id) });
        expect(res.status).to.equal(503);
        expect(res.body).to.deep.equal(UNAVAILABLE);
        host.world.storeDown = false;
        expect(await ada.session()).to.include({ pending: true, user: null });
      });
    });

    describe('when something unexpected throws', () => {
      it('answers a bare 500 TWO_FACTOR_INTERNAL, never the error message, and reports it to the host', async () => {
        const host = createHost({
          routes: {
            getAccountName: () => {
              throw new Error('connection string mysql://root:hunter2@db');
            },
          },
        });
        const ada = new Client(host);
        await ada.logInFully(ADA);
        const json = await ada.postJson(`${MANAGEMENT}/enroll`);
        expect(json.status).to.equal(500);
        expect(json.body).to.deep.equal(INTERNAL);
        const page = await ada.postForm(`${MANAGEMENT}/enroll`);
        expect(page.status).to.equal(500);
        expect(page.text).to.not.contain('hunter2');
        expect(liveErrors(page.text)).to.equal(INTERNAL.error.message);
        expect((host.errors[0] as Error).message).to.contain('hunter2');
      });

      it('hides a 500 TwoFactorError (e.g. a decryption failure) behind TWO_FACTOR_INTERNAL', async () => {
        const world = createWorld();
        let broken = false;
        const failing = new Proxy(world.service, {
          get(target, property, receiver) {
            if (property === 'status' && broken)
              return async () => Promise.reject(new DecryptionError('ciphertext of u-ada was bound to another user'));
            const value = Reflect.get(target, property, receiver);
            return typeof value === 'function' ? value.bind(target) : value;
          },
        }) as TwoFactorService;
        const host = createHost({ world, routes: { service: failing } });
        const ada = new Client(host);
        // Signed in first: the password step reads the same service.
        await ada.logInFully(ADA);
        broken = true;
        const res = await ada.getJson(MANAGEMENT);
        expect(res.status).to.equal(500);
        expect(res.body).to.deep.equal(INTERNAL);
        expect(res.text).to.not.contain('ciphertext');
      });
    });
  });
}
