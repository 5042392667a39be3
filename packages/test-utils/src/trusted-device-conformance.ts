/**
 * The conformance cases of trusted devices (S34): hash only, binding to user and credential,
 * expiry, eviction at 10, and deletion with the credential; first on the store methods, then
 * through a real `TwoFactorService` over the store under test. Part of
 * {@link runStoreConformanceSuite}; not exported on its own.
 */
import { strict as assert } from 'node:assert';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  Keyring,
  MAX_TRUSTED_DEVICES_PER_USER,
  TwoFactorService,
  type CredentialRecord,
  type TrustedDeviceRecord,
  type TwoFactorStore,
} from '@secondfactor/core';

/** What the main suite lends these cases: its store, its seeds and its fixed clock. */
export interface TrustedDeviceSuite {
  store(): TwoFactorStore;
  seedActive(options?: { codes?: number }): Promise<{ userId: string; credentialId: string }>;
  seedPending(): Promise<{ userId: string; credentialId: string }>;
  read(userId: string): Promise<CredentialRecord>;
  /** A fixed instant, `offsetSeconds` after the suite's base time. */
  at(offsetSeconds: number): Date;
  parallelism: number;
}

const DAY_SECONDS = 24 * 60 * 60;

function tokenHash(): string {
  return createHash('sha256').update(randomBytes(32)).digest('hex');
}

/**
 * Registers the trusted-device cases inside the main suite's `describe`.
 */
export function describeTrustedDevices(suite: TrustedDeviceSuite): void {
  const { store, seedActive, seedPending, at } = suite;

  async function trust(
    seed: { userId: string; credentialId: string },
    options: { createdAt?: number; expiresAt?: number; hash?: string; label?: string } = {},
  ): Promise<{ id: string; hash: string }> {
    const device = { id: randomUUID(), hash: options.hash ?? tokenHash() };
    const created = await store().createTrustedDevice({
      id: device.id,
      userId: seed.userId,
      credentialId: seed.credentialId,
      tokenHash: device.hash,
      label: options.label ?? 'Firefox on Windows',
      now: at(options.createdAt ?? 100),
      expiresAt: at(options.expiresAt ?? 30 * DAY_SECONDS),
      maxPerUser: MAX_TRUSTED_DEVICES_PER_USER,
    });
    assert.equal(created, true, 'createTrustedDevice for an active credential must return true');
    return device;
  }

  function find(seed: { userId: string; credentialId: string }, hash: string, now = at(200)) {
    return store().findTrustedDevice({ tokenHash: hash, userId: seed.userId, credentialId: seed.credentialId, now });
  }

  describe('trusted devices', function () {
    describe('createTrustedDevice and findTrustedDevice', function () {
      it('S34: stores and returns every field, the hash as given', async function () {
        const seed = await seedActive();
        const device = await trust(seed, { createdAt: 100, expiresAt: 5000, label: 'Safari on macOS' });
        const found = await find(seed, device.hash);
        assert.ok(found);
        assert.equal(found.id, device.id);
        assert.equal(found.userId, seed.userId);
        assert.equal(found.credentialId, seed.credentialId);
        assert.equal(found.tokenHash, device.hash);
        assert.equal(found.label, 'Safari on macOS');
        assert.equal(found.createdAt.getTime(), at(100).getTime());
        assert.equal(found.lastUsedAt, null);
        assert.equal(found.expiresAt.getTime(), at(5000).getTime());
      });

      it('S34: a hash never matches for another user or another credential', async function () {
        const a = await seedActive();
        const b = await seedActive();
        const device = await trust(a);
        assert.equal(await find(b, device.hash), null, 'another user');
        assert.equal(await find({ userId: a.userId, credentialId: b.credentialId }, device.hash), null, 'b credential');
        assert.equal(await find({ userId: b.userId, credentialId: a.credentialId }, device.hash), null, 'b user');
        assert.equal(await find(a, tokenHash()), null, 'an unknown hash');
        assert.ok(await find(a, device.hash), 'the owner still matches');
      });

      it('S34: an expired device never matches nor is listed', async function () {
        const seed = await seedActive();
        const device = await trust(seed, { createdAt: 100, expiresAt: 1000 });
        assert.ok(await find(seed, device.hash, at(999)));
        assert.equal(await find(seed, device.hash, at(1000)), null);
        assert.deepEqual(await store().listTrustedDevices(seed.userId, at(1000)), []);
        assert.equal((await store().listTrustedDevices(seed.userId, at(999))).length, 1);
      });

      it('S34: refuses a pending credential, and a credential of another user', async function () {
        const pending = await seedPending();
        const active = await seedActive();
        const input = {
          id: randomUUID(),
          tokenHash: tokenHash(),
          label: 'x',
          now: at(100),
          expiresAt: at(1000),
          maxPerUser: MAX_TRUSTED_DEVICES_PER_USER,
        };
        assert.equal(await store().createTrustedDevice({ ...input, ...pending }), false);
        assert.equal(
          await store().createTrustedDevice({ ...input, userId: pending.userId, credentialId: active.credentialId }),
          false,
        );
        assert.deepEqual(await store().listTrustedDevices(pending.userId, at(100)), []);
        assert.deepEqual(await store().listTrustedDevices(active.userId, at(100)), []);
      });

      it(`S34: keeps at most ${MAX_TRUSTED_DEVICES_PER_USER} per user, evicting the oldest`, async function () {
        const seed = await seedActive();
        const other = await seedActive();
        const otherDevice = await trust(other);
        const devices: { id: string; hash: string }[] = [];
        for (let i = 0; i <= MAX_TRUSTED_DEVICES_PER_USER; i++) devices.push(await trust(seed, { createdAt: 100 + i }));
        const listed = await store().listTrustedDevices(seed.userId, at(200));
        assert.equal(listed.length, MAX_TRUSTED_DEVICES_PER_USER);
        assert.deepEqual(
          listed.map((device) => device.id),
          devices
            .slice(1)
            .reverse()
            .map((device) => device.id),
          'newest first, the oldest evicted',
        );
        assert.equal(await find(seed, devices[0].hash), null);
        assert.ok(await find(other, otherDevice.hash), "another user's device is untouched");
      });

      it('S34: a new device is never the one evicted, even created in the same instant', async function () {
        const seed = await seedActive();
        for (let i = 0; i < MAX_TRUSTED_DEVICES_PER_USER; i++) await trust(seed, { createdAt: 100 });
        const newest = await trust(seed, { createdAt: 100 });
        assert.ok(await find(seed, newest.hash));
        assert.equal((await store().listTrustedDevices(seed.userId, at(200))).length, MAX_TRUSTED_DEVICES_PER_USER);
      });

      it('S34: deletes the expired devices of the user when it creates one', async function () {
        const seed = await seedActive();
        const old = await trust(seed, { createdAt: 100, expiresAt: 500 });
        await trust(seed, { createdAt: 600, expiresAt: 5000 });
        assert.equal(await find(seed, old.hash, at(400)), null);
      });

      it('S34: under parallel creations the cap still holds', async function () {
        const seed = await seedActive();
        const results = await Promise.all(
          Array.from({ length: suite.parallelism }, (_, i) =>
            store().createTrustedDevice({
              id: randomUUID(),
              userId: seed.userId,
              credentialId: seed.credentialId,
              tokenHash: tokenHash(),
              label: `browser ${i}`,
              now: at(100 + i),
              expiresAt: at(DAY_SECONDS),
              maxPerUser: MAX_TRUSTED_DEVICES_PER_USER,
            }),
          ),
        );
        assert.ok(results.every(Boolean));
        const listed = await store().listTrustedDevices(seed.userId, at(200));
        assert.equal(listed.length, Math.min(MAX_TRUSTED_DEVICES_PER_USER, suite.parallelism));
      });
    });

    describe('touchTrustedDevice', function () {
      it('S34: sets last used only when it is null or older than the bound', async function () {
        const seed = await seedActive();
        const device = await trust(seed);
        assert.equal(await store().touchTrustedDevice({ id: device.id, now: at(200), lastUsedBefore: at(0) }), true);
        assert.equal((await find(seed, device.hash))?.lastUsedAt?.getTime(), at(200).getTime());
        assert.equal(await store().touchTrustedDevice({ id: device.id, now: at(300), lastUsedBefore: at(200) }), false);
        assert.equal(await store().touchTrustedDevice({ id: device.id, now: at(300), lastUsedBefore: at(201) }), true);
        assert.equal((await find(seed, device.hash, at(300)))?.lastUsedAt?.getTime(), at(300).getTime());
        assert.equal(
          await store().touchTrustedDevice({ id: randomUUID(), now: at(300), lastUsedBefore: at(300) }),
          false,
        );
      });
    });

    describe('deleteTrustedDevice and deleteTrustedDevices', function () {
      it("S34: revokes one device of the user, never another user's", async function () {
        const a = await seedActive();
        const b = await seedActive();
        const first = await trust(a);
        const second = await trust(a);
        assert.equal(await store().deleteTrustedDevice(b.userId, first.id), false);
        assert.ok(await find(a, first.hash));
        assert.equal(await store().deleteTrustedDevice(a.userId, first.id), true);
        assert.equal(await store().deleteTrustedDevice(a.userId, first.id), false);
        assert.equal(await find(a, first.hash), null);
        assert.ok(await find(a, second.hash));
      });

      it('S34: revokes every device of the user, and says how many', async function () {
        const a = await seedActive();
        const b = await seedActive();
        await trust(a);
        await trust(a);
        const kept = await trust(b);
        assert.equal(await store().deleteTrustedDevices(a.userId), 2);
        assert.equal(await store().deleteTrustedDevices(a.userId), 0);
        assert.deepEqual(await store().listTrustedDevices(a.userId, at(200)), []);
        assert.ok(await find(b, kept.hash));
      });

      it('S34: deleting the credential deletes its devices, and a new credential matches none', async function () {
        const seed = await seedActive();
        const device = await trust(seed);
        assert.equal(await store().deleteByUserId(seed.userId), true);
        assert.deepEqual(await store().listTrustedDevices(seed.userId, at(200)), []);
        assert.equal(await find(seed, device.hash), null);
      });
    });

    describe('through TwoFactorService', function () {
      function service(): TwoFactorService {
        return new TwoFactorService({
          store: store(),
          keyring: Keyring.parse(`k1:${Buffer.alloc(32, 3).toString('base64')}`),
          issuer: 'Conformance',
          verifyPassword: () => false,
          clock: () => at(120),
        });
      }

      async function rows(userId: string): Promise<TrustedDeviceRecord[]> {
        return store().listTrustedDevices(userId, at(120));
      }

      it('S34: stores only the SHA-256 hash of a 256-bit token, never the token', async function () {
        const seed = await seedActive();
        const grant = await service().trustDevice({ userId: seed.userId, label: 'Firefox on Windows' });
        assert.ok(grant.ok);
        assert.equal(Buffer.from(grant.token, 'base64url').length, 32);
        const [row] = await rows(seed.userId);
        assert.equal(row.tokenHash, createHash('sha256').update(grant.token).digest('hex'));
        for (const value of Object.values(row)) assert.ok(!String(value).includes(grant.token), 'no plaintext token');
        assert.equal(row.expiresAt.getTime(), at(120 + 30 * DAY_SECONDS).getTime());
      });

      it('S34: a token skips the second step only for its user and credential', async function () {
        const a = await seedActive();
        const b = await seedActive();
        const grant = await service().trustDevice({ userId: a.userId });
        assert.ok(grant.ok);
        const mine = await service().passwordStep({ userId: a.userId, deviceToken: grant.token });
        assert.equal(mine.secondFactor, 'trusted-device');
        const theirs = await service().passwordStep({ userId: b.userId, deviceToken: grant.token });
        assert.deepEqual(theirs, { secondFactor: 'required', forgetDeviceToken: true });
        await store().deleteByUserId(a.userId);
        const gone = await service().passwordStep({ userId: a.userId, deviceToken: grant.token });
        assert.deepEqual(gone, { secondFactor: 'off', forgetDeviceToken: true });
      });
    });
  });
}
