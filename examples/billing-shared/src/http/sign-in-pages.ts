/**
 * Login, registration and logout as both sites answer them. The framework supplies
 * the password check and the password step; the decisions (JSON or page, which status, where
 * next) are made here. Registration signs in through the same password step as login, so no path
 * skips the second factor (S24).
 */
import { checkPasswordThrottled } from '@secondfactor/web';
import type { DemoAccount } from '../db/demo-data';
import type { User } from '../db/entities/user.entity';
import { parseLogin, parseNewAccount, type NewAccountInput } from '../services/account-input';
import { AccountEventType } from '../services/account-events';
import { ACCOUNT_MAIL_SUBJECTS, sendAccountMail } from '../services/account-mail';
import type { SiteContext } from '../services/site-context';
import { SiteError, SiteErrorCode, tooManyAttempts } from '../services/site-error';
import { toPublicUser } from '../services/user-accounts';
import { loginPage, registerPage } from '../views/auth-pages';
import { formValues, json, page, redirect, type SiteAnswer, type SiteRequest } from './site-answer';

/** What the password step led to (the `status` of `POST /login`). */
export type PasswordStepResult = 'authenticated' | 'two-factor-required';

/** The framework's part of signing in. */
export interface SignInSteps {
  /** Runs passport-local on the request: the user, or null for wrong credentials. Store faults throw. */
  checkPassword(): Promise<User | null>;
  /** Signs the user in, or leaves a pending second factor (S20, S22, S23). */
  completePasswordStep(user: User): Promise<PasswordStepResult>;
}

const INVALID_CREDENTIALS = 'The email address or password is not correct.';

const HOUR_MS = 3_600_000;

/** Where a browser goes after the password step. */
function nextPage(status: PasswordStepResult): SiteAnswer {
  return redirect(status === 'two-factor-required' ? '/login/two-factor' : '/clientarea');
}

/**
 * `GET /login`: the form, or the client area for a signed-in user.
 */
export function loginForm(request: SiteRequest, demoLogins: DemoAccount[]): SiteAnswer {
  if (request.user) return redirect('/clientarea');
  return page({ title: 'Login', body: loginPage({ csrfToken: request.csrfToken, demoLogins }), active: 'login' });
}

/**
 * `POST /login`: 400 for a malformed body, the same 401 for an unknown email and a wrong password
 * (S14), 429 with `Retry-After` while the address or the account is throttled (S32), else the
 * password step's status (JSON) or the next page (browsers). The account is charged before the
 * password is checked, and a known and an unknown email are charged, checked (one password hash)
 * and answered alike.
 */
export async function passwordLogin(
  request: SiteRequest,
  demoLogins: DemoAccount[],
  steps: SignInSteps,
  site: SiteContext,
): Promise<SiteAnswer> {
  const loginScreen = (status: number, error: string, email?: string) =>
    page({
      // "Error: " first, so a reload that shows an error says so before anything else is read.
      title: 'Error: Login',
      status,
      body: loginPage({ csrfToken: request.csrfToken, email, error, demoLogins }),
      active: 'login',
    });
  let credentials: { email: string; password: string };
  try {
    credentials = parseLogin(request.body);
  } catch (error) {
    if (request.json || !(error instanceof SiteError)) throw error;
    return loginScreen(400, error.message);
  }
  const meta = { ip: request.ip, userAgent: request.userAgent };
  // The package's throttle around the password check (S32): address, then account, then the check.
  const result = await checkPasswordThrottled(site.loginThrottle, { email: credentials.email, ip: request.ip }, () =>
    steps.checkPassword(),
  );
  if (!result.ok) {
    // One more indexed read either way, so a known and an unknown email cost the same (S32).
    const known = await site.accounts.findByEmail(credentials.email);
    const userId = known ? String(known.id) : undefined;
    if (result.status === 429) {
      await site.recordEvent({
        type: AccountEventType.LoginThrottled,
        userId,
        reason: result.limit,
        retryAfterSeconds: result.retryAfterSeconds,
        ...meta,
      });
      throw tooManyAttempts(result.retryAfterSeconds);
    }
    await site.recordEvent({
      type: AccountEventType.LoginFailed,
      userId,
      reason: result.reason === 'burst_voided' ? result.reason : known ? 'wrong_password' : 'unknown_email',
      ...meta,
    });
    if (request.json) throw new SiteError(401, SiteErrorCode.InvalidCredentials, INVALID_CREDENTIALS);
    return loginScreen(401, INVALID_CREDENTIALS, credentials.email);
  }
  const { user } = result;
  await site.recordEvent({ type: AccountEventType.LoginSucceeded, userId: String(user.id), ...meta });
  const status = await steps.completePasswordStep(user);
  return request.json ? json({ status }, 200, true) : nextPage(status);
}

/**
 * `GET /register`: the form, or the client area for a signed-in user.
 */
export function registerForm(request: SiteRequest): SiteAnswer {
  if (request.user) return redirect('/clientarea');
  return page({ title: 'Register', body: registerPage({ csrfToken: request.csrfToken }), active: 'register' });
}

/**
 * `POST /register`: a new primary account, signed in through the password step (S24); 400 with
 * per-field messages, 409 `EMAIL_TAKEN`. The site mounts the package's address limit before it
 * (`limitAttemptsByAddress`, 429 with `Retry-After`, S32). The owner of a taken address is told by
 * mail, at most once an hour.
 */
export async function registration(
  request: SiteRequest,
  site: SiteContext,
  steps: Pick<SignInSteps, 'completePasswordStep'>,
): Promise<SiteAnswer> {
  const meta = { ip: request.ip, userAgent: request.userAgent };
  let user: User;
  try {
    const input = parseNewAccount(request.body);
    user = await registerAccount(site, input, meta);
  } catch (error) {
    if (request.json || !(error instanceof SiteError)) throw error;
    return page({
      title: 'Error: Register',
      status: error.status,
      body: registerPage({
        csrfToken: request.csrfToken,
        values: formValues(request.body),
        error: error.message,
        fields: error.fields,
      }),
      active: 'register',
    });
  }
  const status = await steps.completePasswordStep(user);
  if (!request.json) return nextPage(status);
  return json({ status, user: status === 'authenticated' ? toPublicUser(user) : null }, 201, true);
}

/** Registers, and on a taken address audits the attempt and mails the address's owner (S32). */
async function registerAccount(
  site: SiteContext,
  input: NewAccountInput,
  meta: { ip?: string; userAgent?: string },
): Promise<User> {
  try {
    const user = await site.accounts.register(input);
    await site.recordEvent({ type: AccountEventType.Registered, userId: String(user.id), ...meta });
    return user;
  } catch (error) {
    if (!(error instanceof SiteError) || error.code !== SiteErrorCode.EmailTaken) throw error;
    const owner = await site.accounts.findByEmail(input.email);
    if (owner) {
      await site.recordEvent({ type: AccountEventType.RegistrationEmailTaken, userId: String(owner.id), ...meta });
      await sendAccountMail(site, {
        to: owner,
        kind: 'registrationAttempt',
        windowMs: HOUR_MS,
        text: `${ACCOUNT_MAIL_SUBJECTS.registrationAttempt}. Your account is unchanged; nobody was signed in.`,
      });
    }
    throw error;
  }
}

/**
 * `POST /logout`, once the framework has destroyed the session (store row and cookie).
 */
export function signedOut(wantsJson: boolean): SiteAnswer {
  return wantsJson ? json({ status: 'signed-out' }) : redirect('/login');
}
