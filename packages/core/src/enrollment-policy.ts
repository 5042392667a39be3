/**
 * The 2FA policy (S36): whether a user must have 2FA, the grace deadline stored per user when
 * first computed, and whether enrollment is now due. An ineligible user (S9) is never required.
 */
import { TwoFactorEventType } from './events';
import { requestMeta, type ServiceContext } from './service-context';
import type { RequestMeta } from './events';
import type { CredentialRecord } from './store';

const DAY_MS = 86_400_000;

/**
 * What the host's `requirement` hook answers for one user.
 *
 * @example
 * ```ts
 * const requirement = (userId: string): EnrollmentRequirement => ({ required: owners.has(userId) });
 * ```
 */
export interface EnrollmentRequirement {
  /** The user must have 2FA. */
  required: boolean;
  /**
   * When the requirement began: the grace period runs from here. Default: the moment the service
   * first computes the deadline. Ignored once a deadline is stored.
   */
  since?: Date;
}

/**
 * Where one user stands under the policy, for the guards and the session probe (S36).
 *
 * @example
 * ```ts
 * const policy: EnrollmentPolicyState = await service.enrollmentPolicy('42');
 * if (policy.enrollmentDue) console.log('only enrollment is reachable');
 * ```
 */
export interface EnrollmentPolicyState {
  /** The policy requires 2FA of this user (never of an ineligible one). */
  required: boolean;
  /** While required and 2FA is off: the grace deadline; else null. */
  requiredBy: Date | null;
  /** Required, 2FA is off, and the deadline has come: only enrollment may be reached. */
  enrollmentDue: boolean;
}

const NOT_REQUIRED: EnrollmentPolicyState = Object.freeze({ required: false, requiredBy: null, enrollmentDue: false });

/** Whether the policy requires 2FA of the user, with `since`; false for an ineligible user (S9). */
export async function requirementOf(ctx: ServiceContext, userId: string): Promise<EnrollmentRequirement> {
  const hook = ctx.options.requirement;
  if (!hook) return { required: false };
  const answer = await hook(userId);
  if (!answer?.required) return { required: false };
  if (!(await ctx.isEligible(userId))) return { required: false };
  const since = answer.since instanceof Date && !Number.isNaN(answer.since.getTime()) ? answer.since : undefined;
  return { required: true, since };
}

/**
 * The user's deadline: the stored one, or `since + graceDays` stored now. Storing it first emits
 * `enrollment.required` (the "you have until …" notification); a parallel request that lost the
 * insert answers the winner's deadline and emits nothing.
 */
export async function deadlineOf(
  ctx: ServiceContext,
  userId: string,
  requirement: EnrollmentRequirement,
  meta?: RequestMeta,
): Promise<Date> {
  const stored = await ctx.store.findEnrollmentDeadline(userId);
  if (stored) return stored.deadline;
  const now = ctx.clock();
  const start = requirement.since ?? now;
  const saved = await ctx.store.createEnrollmentDeadline({
    userId,
    deadline: new Date(start.getTime() + ctx.graceDays * DAY_MS),
    now,
  });
  if (saved.created)
    await ctx.emit({
      type: TwoFactorEventType.EnrollmentRequired,
      userId,
      at: now,
      reason: 'policy',
      requiredBy: saved.record.deadline,
      ...requestMeta(meta),
    });
  return saved.record.deadline;
}

/**
 * The policy state of a required user whose credential was read. A user with 2FA on needs no
 * deadline, so none is computed (nor mailed) for them.
 */
export async function requiredState(
  ctx: ServiceContext,
  userId: string,
  requirement: EnrollmentRequirement,
  credential: CredentialRecord | null,
  meta?: RequestMeta,
): Promise<EnrollmentPolicyState> {
  if (!requirement.required) return NOT_REQUIRED;
  if (credential?.state === 'active') return { required: true, requiredBy: null, enrollmentDue: false };
  const requiredBy = await deadlineOf(ctx, userId, requirement, meta);
  return { required: true, requiredBy, enrollmentDue: ctx.clock() >= requiredBy };
}

/**
 * See {@link TwoFactorService.enrollmentPolicy}: the hook first, so a user the policy leaves out
 * costs no store read; then the credential, and the deadline only while 2FA is off.
 */
export async function enrollmentPolicy(
  ctx: ServiceContext,
  userId: string,
  meta?: RequestMeta,
): Promise<EnrollmentPolicyState> {
  const requirement = await requirementOf(ctx, userId);
  if (!requirement.required) return NOT_REQUIRED;
  return requiredState(ctx, userId, requirement, await ctx.store.findByUserId(userId), meta);
}

/**
 * After support turned 2FA off for a required user: the deadline becomes now at the latest, so the
 * user enrolls at the next sign-in with no new grace (S36). Nothing for a user the policy leaves out.
 */
export async function endGraceAfterAdminDisable(ctx: ServiceContext, userId: string): Promise<void> {
  const requirement = await requirementOf(ctx, userId);
  if (!requirement.required) return;
  const now = ctx.clock();
  await ctx.store.shortenEnrollmentDeadline({ userId, deadline: now, now });
}
