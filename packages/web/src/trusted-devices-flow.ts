/**
 * The trusted devices routes (S34, docs/architecture.md): list, revoke one, revoke all, in HTML and
 * JSON. The route runner lets only a fully signed-in user in and checks CSRF on the POSTs (S25).
 * Revoking the browser that asks also clears its cookie.
 */
import { eventMeta } from './request-meta';
import { baseModel, pageResponse, type Exchange } from './respond';
import { jsonResponse, redirectResponse, type WebResponse } from './response';
import type { SignedInExchange } from './management-flow';
import { recordSecurityStamp } from './security-stamp';
import { clearDeviceCookie, readDeviceToken } from './trusted-device-cookie';
import type { TrustedDevicesViewModel } from './views';

/**
 * The trusted devices list's model for `userId`, the browser of this request marked as current.
 */
export async function devicesModel<N>(
  exchange: Exchange<N>,
  userId: string,
  extras: { headingLevel: 1 | 2 | 3; notice?: string },
): Promise<TrustedDevicesViewModel> {
  const { resolved, request } = exchange;
  const devices = await resolved.service.listTrustedDevices({
    userId,
    deviceToken: readDeviceToken(request, resolved.trustedDeviceCookie),
  });
  return { ...baseModel(exchange), devices, ...extras };
}

function isoOrNull(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}

/**
 * `GET /devices`: `{ devices: [{ id, label, createdAt, lastUsedAt, expiresAt, current }] }`, or
 * the Trusted devices page.
 */
export async function showDevices<N>(exchange: SignedInExchange<N>): Promise<WebResponse> {
  const { resolved, request, userId } = exchange;
  const revoked = Number(exchange.request.query.revoked);
  const notice = Number.isInteger(revoked) && revoked >= 0 ? resolved.texts.noticeDevicesRevoked(revoked) : undefined;
  const model = await devicesModel(exchange, userId, { headingLevel: 1, notice });
  if (exchange.json)
    return jsonResponse({
      devices: model.devices.map((device) => ({
        id: device.id,
        label: device.label,
        createdAt: device.createdAt.toISOString(),
        lastUsedAt: isoOrNull(device.lastUsedAt),
        expiresAt: device.expiresAt.toISOString(),
        current: device.current,
      })),
    });
  return pageResponse(
    exchange,
    resolved.texts.trustedDevicesTitle,
    resolved.views.trustedDevices(model, request.native),
  );
}

/** Whether the device being revoked is this browser's (its cookie then goes too). */
async function isCurrent<N>(exchange: SignedInExchange<N>, deviceId: string): Promise<boolean> {
  const deviceToken = readDeviceToken(exchange.request, exchange.resolved.trustedDeviceCookie);
  if (!deviceToken) return false;
  const devices = await exchange.resolved.service.listTrustedDevices({ userId: exchange.userId, deviceToken });
  return devices.some((device) => device.id === deviceId && device.current);
}

function revokedAnswer<N>(exchange: SignedInExchange<N>, revoked: number): WebResponse {
  if (exchange.json) return jsonResponse({ revoked });
  return redirectResponse(exchange.request.method, `${exchange.resolved.managementPrefix}/devices?revoked=${revoked}`);
}

/**
 * `POST /devices/:id/revoke`: `{ revoked: 1 }`, or 0 when the device is gone or not the user's.
 */
export async function revokeDevice<N>(exchange: SignedInExchange<N>): Promise<WebResponse> {
  const { resolved, request, userId } = exchange;
  const deviceId = request.params.id ?? '';
  const current = await isCurrent(exchange, deviceId);
  const outcome = await resolved.service.revokeTrustedDevice({ userId, deviceId, meta: eventMeta(request) });
  if (!outcome.ok) throw outcome.error;
  if (current) clearDeviceCookie(request, resolved.trustedDeviceCookie);
  return revokedAnswer(exchange, outcome.revoked);
}

/**
 * `POST /devices/revoke-all`: `{ revoked: n }`; this browser's cookie is cleared too, and the
 * user's other sessions are signed out (S31).
 */
export async function revokeAllDevices<N>(exchange: SignedInExchange<N>): Promise<WebResponse> {
  const { resolved, request, userId } = exchange;
  const outcome = await resolved.service.revokeTrustedDevices({
    userId,
    reason: 'user',
    endOtherSessions: true,
    meta: eventMeta(request),
  });
  if (!outcome.ok) throw outcome.error;
  // S31: the other sessions end; this one carries on with the new stamp.
  if (outcome.securityStamp !== undefined)
    recordSecurityStamp(resolved, request, { stamp: outcome.securityStamp }, 'unchanged');
  if (readDeviceToken(request, resolved.trustedDeviceCookie) !== undefined)
    clearDeviceCookie(request, resolved.trustedDeviceCookie);
  return revokedAnswer(exchange, outcome.revoked);
}
