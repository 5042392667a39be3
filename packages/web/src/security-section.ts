/**
 * The Two-Factor Authentication section, for the management page and for a host's own Security
 * Settings page; with 2FA on, the Trusted devices list follows it (S34).
 */
import { baseModel, type Exchange } from './respond';
import { devicesModel } from './trusted-devices-flow';
import type { SecuritySectionViewModel } from './views';

/**
 * What the section may announce besides the status.
 */
export interface SectionExtras {
  error?: string;
  notice?: string;
  headingLevel?: 1 | 2;
  failedAction?: 'disable' | 'regenerate';
}

/**
 * Builds the section's model from the user's status (never a secret, S7).
 */
export async function sectionModel<N>(
  exchange: Exchange<N>,
  userId: string,
  extras: SectionExtras = {},
): Promise<SecuritySectionViewModel> {
  const status = await exchange.resolved.service.status(userId);
  return {
    ...baseModel(exchange, extras.error),
    notice: extras.notice,
    headingLevel: extras.headingLevel ?? 2,
    failedAction: extras.failedAction,
    enrollmentDue: !status.enabled && !!status.requiredBy && status.requiredBy <= exchange.resolved.clock(),
    status: {
      enabled: status.enabled,
      pending: status.pending,
      pendingExpired: status.pendingExpired,
      eligible: status.eligible,
      locked: status.locked,
      backupCodesRemaining: status.backupCodesRemaining,
      enabledAt: status.enabledAt,
      required: status.required,
      requiredBy: status.requiredBy,
    },
  };
}

/**
 * Renders the section as an HTML fragment.
 */
export async function renderSection<N>(
  exchange: Exchange<N>,
  userId: string,
  extras: SectionExtras = {},
): Promise<string> {
  const { resolved, request } = exchange;
  const model = await sectionModel(exchange, userId, extras);
  const section = resolved.views.securitySection(model, request.native);
  if (!model.status.enabled) return section;
  // S34: the remembered browsers, listed under the section with the current one marked.
  const devices = await devicesModel(exchange, userId, { headingLevel: model.headingLevel === 1 ? 2 : 3 });
  if (devices.devices.length === 0 && resolved.trustedDeviceDays === 0) return section;
  return `${section}\n${resolved.views.trustedDevices(devices, request.native)}`;
}
