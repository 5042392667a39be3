/**
 * The management router (DESIGN.md §7): status, enroll, confirm, disable and backup codes, in
 * HTML and JSON. Every state change is a POST behind sign-in, CSRF and the service's own
 * eligibility and password checks (S8, S9, S25).
 */
import Router from '@koa/router';
import { TwoFactorErrorCode, type TwoFactorFailure } from '@secondfactor/core';
import type { Context } from 'koa';
import { parseBody, readField } from './body';
import { requireCsrfMiddleware } from './csrf';
import { errorHandler } from './error-handler';
import { wantsJson } from './negotiate';
import { noStore } from './no-store';
import type { ResolvedOptions } from './options';
import { toProblem } from './problem';
import { requestMeta } from './request-meta';
import { applyProblem, baseModel, messageFor, sendJson, sendPage } from './respond';
import { renderSection } from './security-section';
import { gatedUser, requireSignedIn } from './signed-in-user';

// Failures a user fixes by typing again stay on the Verification Step; the rest go back to the section.
const RETRY_ON_VERIFY = new Set<string>([
  TwoFactorErrorCode.InvalidInput,
  TwoFactorErrorCode.InvalidCode,
  TwoFactorErrorCode.Throttled,
]);

/**
 * Builds the management router under `resolved.managementPrefix`.
 *
 * @example
 * ```ts
 * app.use(createManagementRouter(resolved).routes());
 * ```
 */
export function createManagementRouter(resolved: ResolvedOptions): Router {
  const { service, texts, views, managementPrefix } = resolved;
  const router = new Router({ prefix: managementPrefix });
  const changesState = [requireCsrfMiddleware(resolved.requireCsrf), parseBody(resolved.bodyLimit)];

  router.use(
    errorHandler(resolved, () => managementPrefix),
    noStore,
    requireSignedIn(resolved, resolved.loginPath),
  );

  /** JSON callers get the typed error; browsers get `page` with the message in its live region. */
  async function refuse(
    ctx: Context,
    failure: TwoFactorFailure,
    page: (error: string) => Promise<{ title: string; body: string }>,
  ) {
    if (wantsJson(ctx)) throw failure.error;
    const problem = toProblem(failure.error);
    applyProblem(ctx, problem);
    const { title, body } = await page(messageFor(resolved, problem.code));
    sendPage(ctx, resolved, title, body, problem.status);
  }

  const sectionPage = (ctx: Context) => async (error: string) => ({
    title: texts.sectionTitle,
    body: await renderSection(ctx, resolved, gatedUser(ctx).userId, { error, headingLevel: 1 }),
  });

  router.get('/', async (ctx) => {
    const { userId } = gatedUser(ctx);
    if (wantsJson(ctx)) {
      const status = await service.status(userId);
      sendJson(ctx, {
        enabled: status.enabled,
        pending: status.pending,
        eligible: status.eligible,
        backupCodesRemaining: status.backupCodesRemaining,
        enabledAt: status.enabledAt ? status.enabledAt.toISOString() : null,
      });
      return;
    }
    const step = typeof ctx.query.step === 'string' ? ctx.query.step : '';
    if (step === 'intro' || step === 'verify') {
      const status = await service.status(userId);
      if (step === 'intro' && status.eligible && !status.enabled) {
        sendPage(ctx, resolved, texts.introTitle, views.enrollmentIntro(baseModel(ctx, resolved), ctx));
        return;
      }
      if (step === 'verify' && status.eligible && status.pending) {
        sendPage(ctx, resolved, texts.verifyTitle, views.verificationStep(baseModel(ctx, resolved), ctx));
        return;
      }
      ctx.redirect(managementPrefix);
      return;
    }
    const notice = ctx.query.notice === 'disabled' ? texts.noticeDisabled : undefined;
    sendPage(
      ctx,
      resolved,
      texts.sectionTitle,
      await renderSection(ctx, resolved, userId, { notice, headingLevel: 1 }),
    );
  });

  router.post('/enroll', ...changesState, async (ctx) => {
    const { user, userId } = gatedUser(ctx);
    const outcome = await service.beginEnrollment({
      userId,
      accountName: resolved.getAccountName(user),
      meta: requestMeta(ctx),
    });
    if (!outcome.ok) return refuse(ctx, outcome, sectionPage(ctx));
    if (wantsJson(ctx)) {
      sendJson(ctx, { secret: outcome.secret, otpauthUrl: outcome.otpauthUrl, qrSvg: outcome.qrSvg });
      return;
    }
    const model = {
      ...baseModel(ctx, resolved),
      secret: outcome.secret,
      secretForDisplay: outcome.secretForDisplay,
      qrSvg: outcome.qrSvg,
      expiresAt: outcome.expiresAt,
    };
    sendPage(ctx, resolved, texts.setupTitle, views.enrollmentSetup(model, ctx));
  });

  router.post('/confirm', ...changesState, async (ctx) => {
    const { userId } = gatedUser(ctx);
    const outcome = await service.confirmEnrollment({ userId, code: readField(ctx, 'code'), meta: requestMeta(ctx) });
    if (!outcome.ok) {
      const retry = RETRY_ON_VERIFY.has(outcome.error.code);
      return refuse(ctx, outcome, async (error) =>
        retry
          ? { title: texts.verifyTitle, body: views.verificationStep(baseModel(ctx, resolved, error), ctx) }
          : sectionPage(ctx)(error),
      );
    }
    if (wantsJson(ctx)) {
      sendJson(ctx, { enabled: true, backupCodes: outcome.backupCodes });
      return;
    }
    const model = { ...baseModel(ctx, resolved), backupCodes: outcome.backupCodes, continueUrl: managementPrefix };
    sendPage(ctx, resolved, texts.completeTitle, views.enrollmentComplete(model, ctx));
  });

  router.post('/disable', ...changesState, async (ctx) => {
    const { userId } = gatedUser(ctx);
    const outcome = await service.disable({ userId, password: readField(ctx, 'password'), meta: requestMeta(ctx) });
    if (!outcome.ok) return refuse(ctx, outcome, sectionPage(ctx));
    if (wantsJson(ctx)) {
      sendJson(ctx, { enabled: false });
      return;
    }
    ctx.status = 303;
    ctx.redirect(`${managementPrefix}?notice=disabled`);
  });

  router.post('/backup-codes', ...changesState, async (ctx) => {
    const { userId } = gatedUser(ctx);
    const outcome = await service.regenerateBackupCodes({
      userId,
      password: readField(ctx, 'password'),
      meta: requestMeta(ctx),
    });
    if (!outcome.ok) return refuse(ctx, outcome, sectionPage(ctx));
    if (wantsJson(ctx)) {
      sendJson(ctx, { backupCodes: outcome.backupCodes });
      return;
    }
    const model = { ...baseModel(ctx, resolved), backupCodes: outcome.backupCodes, continueUrl: managementPrefix };
    sendPage(ctx, resolved, texts.regeneratedTitle, views.backupCodesRegenerated(model, ctx));
  });

  return router;
}
