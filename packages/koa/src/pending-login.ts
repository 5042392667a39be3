/** Who is signed in, as far as the routes are concerned: a pending second factor is signed out (S20). */
import { getPendingSecondFactor, hasPendingSecondFactor, type PendingSecondFactor } from '@secondfactor/passport-totp';
import type { Context } from 'koa';
import type { ResolvedOptions } from './options';

/**
 * The session koa-session put on the context, if any (typed loosely so hosts need not install its types).
 *
 * @example
 * ```ts
 * clearPendingSecondFactor(sessionOf(ctx));
 * ```
 */
export function sessionOf(ctx: Context): object | undefined {
  const session = (ctx as unknown as { session?: unknown }).session;
  return session && typeof session === 'object' ? session : undefined;
}

/**
 * The fully signed-in user, or undefined while a login waits for its second factor (S8, S20).
 *
 * @example
 * ```ts
 * const user = await fullySignedInUser(ctx, resolved);
 * ```
 */
export async function fullySignedInUser(ctx: Context, resolved: ResolvedOptions): Promise<unknown> {
  if (hasPendingSecondFactor(sessionOf(ctx))) return undefined;
  return resolved.getUser(ctx);
}

/**
 * The unexpired pending login of this session, or null.
 *
 * @example
 * ```ts
 * if (pendingLogin(ctx, resolved)) ctx.redirect(resolved.challengePrefix);
 * ```
 */
export function pendingLogin(ctx: Context, resolved: ResolvedOptions): PendingSecondFactor | null {
  return getPendingSecondFactor(sessionOf(ctx), resolved.clock());
}
