/**
 * Trusted devices (S34): "Remember this browser". A remembered browser holds a 256-bit token from a
 * CSPRNG; the store keeps only its SHA-256 hash, bound to the user and the credential. At the
 * password step a valid token skips the second factor, never the password. Devices are listed and
 * revoked one by one or all at once, and die with the credential (disable, admin disable, a new
 * enrollment).
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { ConfigurationError, TwoFactorErrorCode } from './errors';
import { TwoFactorEventType, type RequestMeta } from './events';
import type { TwoFactorOutcome } from './outcome';
import { rotateSecurityStamp, stampField } from './security-stamp';
import { requestMeta, type ServiceContext } from './service-context';
import type { UserInput } from './service-types';

/** Random bytes in a device token: 256 bits (S34). */
export const TRUSTED_DEVICE_TOKEN_BYTES = 32;
/** The most trusted devices one user keeps; a new one evicts the oldest beyond it (S34). */
export const MAX_TRUSTED_DEVICES_PER_USER = 10;
/** The longest label kept; the label is for display only. */
export const MAX_TRUSTED_DEVICE_LABEL_LENGTH = 100;
/** A device's last-used time is written at most this often, to spare a write per sign-in. */
export const TRUSTED_DEVICE_TOUCH_INTERVAL_MS = 60 * 60 * 1000;

const DAY_MS = 24 * 60 * 60 * 1000;
// base64url of 32 bytes, unpadded: anything else is not a token we issued and is never hashed.
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;
const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A trusted device as Security Settings lists it: never its token nor its hash. */
export interface TrustedDevice {
  id: string;
  /** e.g. "Firefox on Windows". */
  label: string;
  createdAt: Date;
  /** When it last skipped the second step (updated at most hourly); null until then. */
  lastUsedAt: Date | null;
  expiresAt: Date;
  /** Whether it is the browser that asked (its token was passed in). */
  current: boolean;
}

/** A newly remembered browser: the token goes into its cookie, once, and is never stored. */
export interface TrustedDeviceGrant {
  deviceId: string;
  /** 43 base64url characters; set it in an HttpOnly, SameSite=Lax cookie that expires with the device. */
  token: string;
  expiresAt: Date;
}

/**
 * What the password step must do after a correct password. `forgetDeviceToken` is true when a
 * token was presented that is unknown, revoked, expired or not this user's: the cookie should go.
 */
export type PasswordStepDecision =
  | { secondFactor: 'off'; forgetDeviceToken: boolean }
  | { secondFactor: 'required'; forgetDeviceToken: boolean }
  | { secondFactor: 'trusted-device'; deviceId: string; forgetDeviceToken: false };

/** Why every device of a user was revoked. */
export type TrustedDeviceRevocationReason = 'user' | 'password_changed' | 'admin';

/** The stored form of a token: hex SHA-256. A 256-bit random token needs no salt or slow hash. */
export function hashDeviceToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

function presented(token: unknown): boolean {
  return token !== undefined && token !== null && token !== '';
}

function cleanLabel(label: unknown): string {
  const text = typeof label === 'string' ? label.replace(/[\p{Cc}\p{Cf}]/gu, ' ').trim() : '';
  return (text || 'Unknown browser').slice(0, MAX_TRUSTED_DEVICE_LABEL_LENGTH);
}

/** See {@link TwoFactorService.passwordStep}. */
export async function passwordStep(
  ctx: ServiceContext,
  input: UserInput & { deviceToken?: unknown },
): Promise<PasswordStepDecision> {
  const credential = await ctx.store.findByUserId(input.userId);
  const forget = presented(input.deviceToken);
  if (credential?.state !== 'active') return { secondFactor: 'off', forgetDeviceToken: forget };
  const token = input.deviceToken;
  if (ctx.trustedDeviceDays === 0 || typeof token !== 'string' || !TOKEN_SHAPE.test(token))
    return { secondFactor: 'required', forgetDeviceToken: forget };
  const now = ctx.clock();
  // One indexed read on the unique hash; another user's or another credential's row never matches.
  const device = await ctx.store.findTrustedDevice({
    tokenHash: hashDeviceToken(token),
    userId: input.userId,
    credentialId: credential.id,
    now,
  });
  if (!device) return { secondFactor: 'required', forgetDeviceToken: true };
  const lastUsedBefore = new Date(now.getTime() - TRUSTED_DEVICE_TOUCH_INTERVAL_MS);
  if (!device.lastUsedAt || device.lastUsedAt < lastUsedBefore) {
    const touched = await ctx.store.touchTrustedDevice({ id: device.id, now, lastUsedBefore });
    if (touched)
      await ctx.emit({
        type: TwoFactorEventType.TrustedDeviceUsed,
        userId: input.userId,
        at: now,
        ...requestMeta(input.meta),
      });
  }
  return { secondFactor: 'trusted-device', deviceId: device.id, forgetDeviceToken: false };
}

/** See {@link TwoFactorService.trustDevice}. */
export async function trustDevice(
  ctx: ServiceContext,
  input: UserInput & { label?: unknown },
): Promise<TwoFactorOutcome<TrustedDeviceGrant>> {
  if (ctx.trustedDeviceDays === 0)
    throw new ConfigurationError('Trusted devices are off (trustedDeviceDays is 0): do not offer to remember one.');
  const credential = await ctx.store.findByUserId(input.userId);
  const now = ctx.clock();
  const token = randomBytes(TRUSTED_DEVICE_TOKEN_BYTES).toString('base64url');
  const grant = {
    deviceId: randomUUID(),
    token,
    expiresAt: new Date(now.getTime() + ctx.trustedDeviceDays * DAY_MS),
  };
  const created =
    credential?.state === 'active' &&
    (await ctx.store.createTrustedDevice({
      id: grant.deviceId,
      userId: input.userId,
      credentialId: credential.id,
      tokenHash: hashDeviceToken(token),
      label: cleanLabel(input.label),
      expiresAt: grant.expiresAt,
      now,
      maxPerUser: MAX_TRUSTED_DEVICES_PER_USER,
    }));
  // 2FA was turned off (or enrolled anew) since the code was checked: nothing to remember.
  if (!created)
    return ctx.conflict(TwoFactorErrorCode.NotEnabled, 'Two-factor authentication is not enabled.', 'not_enabled');
  await ctx.emit({
    type: TwoFactorEventType.TrustedDeviceAdded,
    userId: input.userId,
    at: now,
    ...requestMeta(input.meta),
  });
  return { ok: true, ...grant };
}

/** See {@link TwoFactorService.listTrustedDevices}. */
export async function listTrustedDevices(
  ctx: ServiceContext,
  input: { userId: string; deviceToken?: unknown },
): Promise<TrustedDevice[]> {
  const devices = await ctx.store.listTrustedDevices(input.userId, ctx.clock());
  const token = input.deviceToken;
  const currentHash = typeof token === 'string' && TOKEN_SHAPE.test(token) ? hashDeviceToken(token) : null;
  return devices.map((device) => ({
    id: device.id,
    label: device.label,
    createdAt: device.createdAt,
    lastUsedAt: device.lastUsedAt,
    expiresAt: device.expiresAt,
    current: device.tokenHash === currentHash,
  }));
}

/** See {@link TwoFactorService.revokeTrustedDevice}. */
export async function revokeTrustedDevice(
  ctx: ServiceContext,
  input: UserInput & { deviceId: unknown },
): Promise<TwoFactorOutcome<{ revoked: number }>> {
  const { deviceId } = input;
  // An id that is not one of ours cannot name a device: nothing to revoke, and no store call.
  if (typeof deviceId !== 'string' || !UUID_SHAPE.test(deviceId)) return { ok: true, revoked: 0 };
  const deleted = await ctx.store.deleteTrustedDevice(input.userId, deviceId);
  if (deleted)
    await ctx.emit({
      type: TwoFactorEventType.TrustedDeviceRevoked,
      userId: input.userId,
      at: ctx.clock(),
      reason: 'user',
      ...requestMeta(input.meta),
    });
  return { ok: true, revoked: deleted ? 1 : 0 };
}

/** See {@link TwoFactorService.revokeTrustedDevices}. */
export async function revokeTrustedDevices(
  ctx: ServiceContext,
  input: { userId: string; reason: TrustedDeviceRevocationReason; endOtherSessions?: boolean; meta?: RequestMeta },
): Promise<TwoFactorOutcome<{ revoked: number; securityStamp?: string }>> {
  // The user's own "Revoke all" also ends their other sessions (S31), and the stamp rotates before
  // the devices go: a failing hook (503) leaves the devices and the sessions as they were. A caller
  // that rotates the stamp on its own side (a password change) leaves endOtherSessions off.
  const stamp = input.endOtherSessions === true ? await rotateSecurityStamp(ctx, input.userId) : undefined;
  const revoked = await ctx.store.deleteTrustedDevices(input.userId);
  if (revoked > 0)
    await ctx.emit({
      type: TwoFactorEventType.TrustedDevicesRevoked,
      userId: input.userId,
      at: ctx.clock(),
      reason: input.reason,
      ...requestMeta(input.meta),
    });
  return { ok: true, revoked, ...stampField(stamp) };
}
