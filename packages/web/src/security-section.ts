/** The Two-Factor Authentication section, for the management page and for a host's own Security Settings page. */
import { baseModel, type Exchange } from './respond';
import type { SecuritySectionViewModel } from './views';

/**
 * What the section may announce besides the status.
 *
 * @example
 * ```ts
 * const extras: SectionExtras = { notice: texts.noticeDisabled, headingLevel: 1 };
 * ```
 */
export interface SectionExtras {
  error?: string;
  notice?: string;
  headingLevel?: 1 | 2;
  failedAction?: 'disable' | 'regenerate';
}

/**
 * Builds the section's model from the user's status (never a secret, S7).
 *
 * @example
 * ```ts
 * const model = await sectionModel(exchange, userId, { notice: texts.noticeDisabled });
 * ```
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
    status: {
      enabled: status.enabled,
      pending: status.pending,
      pendingExpired: status.pendingExpired,
      eligible: status.eligible,
      locked: status.locked,
      backupCodesRemaining: status.backupCodesRemaining,
      enabledAt: status.enabledAt,
    },
  };
}

/**
 * Renders the section as an HTML fragment.
 *
 * @example
 * ```ts
 * const fragment = await renderSection(exchange, userId);
 * ```
 */
export async function renderSection<N>(
  exchange: Exchange<N>,
  userId: string,
  extras: SectionExtras = {},
): Promise<string> {
  const model = await sectionModel(exchange, userId, extras);
  return exchange.resolved.views.securitySection(model, exchange.request.native);
}
