/**
 * Compile-time checks (type-checked with the tests, never run): the routers infer the user from
 * `loadUser` and the id type from the service's `userIds`, so an app with integer ids writes no
 * conversion, and a mismatch is a type error.
 */
import { Keyring, MemoryTwoFactorStore, TwoFactorService } from '@secondfactor/core';
import { TotpStrategy } from '@secondfactor/passport-totp';
import type { Context } from 'koa';
import { createTwoFactorRouters } from '../src';

interface User {
  id: number;
  email: string;
  passwordHash: string;
}
interface Member {
  uuid: string;
  login: string;
}
declare const users: { findById(id: number): Promise<User | null> };
declare const members: { find(id: string): Promise<Member | null> };
const keyring = Keyring.parse(`k1:${Buffer.alloc(32).toString('base64')}`);
const store = new MemoryTwoFactorStore({ quiet: true });
const integerIds = new TwoFactorService({
  store,
  keyring,
  issuer: 'Acme',
  userIds: 'integer',
  verifyPassword: (id, password) => id === 1 && password === 'x',
});
const stringIds = new TwoFactorService({ store, keyring, issuer: 'Acme', verifyPassword: (id, pw) => id === pw });

// Integer ids, defaults for getUserId and getAccountName; the hooks get numbers and the user.
export const byDefault = createTwoFactorRouters({
  service: integerIds,
  loadUser: (id) => users.findById(id),
  passwordFingerprint: (_id, user) => user.passwordHash,
});
export const next = (ctx: Context, user: User) => byDefault.beginSecondFactor(ctx, user);

// Users without `id` and `email` name them.
export const named = createTwoFactorRouters({
  service: stringIds,
  loadUser: (id) => members.find(id),
  getUserId: (member) => member.uuid,
  getAccountName: (member) => member.login,
});

// The host's own strategy.
export const own = createTwoFactorRouters({
  service: stringIds,
  strategy: new TotpStrategy({ service: stringIds }),
  getUserId: (member: Member) => member.uuid,
  getAccountName: (member) => member.login,
});

export const mismatch = createTwoFactorRouters({
  service: integerIds,
  // @ts-expect-error integer ids reach loadUser as numbers
  loadUser: (id: string) => members.find(id),
});
