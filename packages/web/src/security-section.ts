/** The Two-Factor Authentication section, for the management page and for a host's own Security Settings page. */
import { baseModel, type Exchange } from './respond';
import type { SecuritySectionViewModel } from './views';

/**
 * What the section may announce besides the status.
 */
export interface SectionExtras {
  error?: string;
  notice?: string;
  headingLevel?: 1 | 2;
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
    status: {
      enabled: status.enabled,
      pending: status.pending,
      eligible: status.eligible,
      locked: status.locked,
      backupCodesRemaining: status.backupCodesRemaining,
      enabledAt: status.enabledAt,
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
  const model = await sectionModel(exchange, userId, extras);
  return exchange.resolved.views.securitySection(model, exchange.request.native);
}
