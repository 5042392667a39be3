/** The Two-Factor Authentication section, for the management page and for a host's own Security Settings page. */
import type { Context } from 'koa';
import type { ResolvedOptions } from './options';
import { baseModel } from './respond';
import type { SecuritySectionViewModel } from './views';

/**
 * Builds the section's model from the user's status (never a secret, S7).
 *
 * @example
 * ```ts
 * const model = await sectionModel(ctx, resolved, userId, { notice: texts.noticeDisabled });
 * ```
 */
export async function sectionModel(
  ctx: Context,
  resolved: ResolvedOptions,
  userId: string,
  extras: { error?: string; notice?: string; headingLevel?: 1 | 2 } = {},
): Promise<SecuritySectionViewModel> {
  const status = await resolved.service.status(userId);
  return {
    ...baseModel(ctx, resolved, extras.error),
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
 * Renders the section as an HTML fragment for the user in `ctx`.
 *
 * @example
 * ```ts
 * const fragment = await renderSection(ctx, resolved, userId);
 * ```
 */
export async function renderSection(
  ctx: Context,
  resolved: ResolvedOptions,
  userId: string,
  extras: { error?: string; notice?: string; headingLevel?: 1 | 2 } = {},
): Promise<string> {
  return resolved.views.securitySection(await sectionModel(ctx, resolved, userId, extras), ctx);
}
