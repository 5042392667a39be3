/**
 * Login, registration and logout as both sites answer them. The framework supplies
 * the password check and the password step; the decisions (JSON or page, which status, where
 * next) are made here. Registration signs in through the same password step as login, so no path
 * skips the second factor (S24).
 */
import type { DemoAccount } from '../db/demo-data';
import type { User } from '../db/entities/user.entity';
import { parseLogin, parseNewAccount, type NewAccountInput } from '../services/account-input';
import { SiteError, SiteErrorCode } from '../services/site-error';
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

/** Where a browser goes after the password step. */
function nextPage(status: PasswordStepResult): SiteAnswer {
  return redirect(status === 'two-factor-required' ? '/login/two-factor' : '/clientarea');
}

/**
 * `GET /login`: the form, or the client area for a signed-in user.
 *
 * @example
 * ```ts
 * send(ctx, loginForm(siteRequest(ctx), demoLogins));
 * ```
 */
export function loginForm(request: SiteRequest, demoLogins: DemoAccount[]): SiteAnswer {
  if (request.user) return redirect('/clientarea');
  return page({ title: 'Login', body: loginPage({ csrfToken: request.csrfToken, demoLogins }), active: 'login' });
}

/**
 * `POST /login`: 400 for a malformed body, the same 401 for an unknown email and a wrong password
 * (S14), else the password step's status (JSON) or the next page (browsers).
 *
 * @example
 * ```ts
 * send(ctx, await passwordLogin(siteRequest(ctx), demoLogins, steps));
 * ```
 */
export async function passwordLogin(
  request: SiteRequest,
  demoLogins: DemoAccount[],
  steps: SignInSteps,
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
  const user = await steps.checkPassword();
  if (!user) {
    if (request.json) throw new SiteError(401, SiteErrorCode.InvalidCredentials, INVALID_CREDENTIALS);
    return loginScreen(401, INVALID_CREDENTIALS, credentials.email);
  }
  const status = await steps.completePasswordStep(user);
  return request.json ? json({ status }, 200, true) : nextPage(status);
}

/**
 * `GET /register`: the form, or the client area for a signed-in user.
 *
 * @example
 * ```ts
 * send(ctx, registerForm(siteRequest(ctx)));
 * ```
 */
export function registerForm(request: SiteRequest): SiteAnswer {
  if (request.user) return redirect('/clientarea');
  return page({ title: 'Register', body: registerPage({ csrfToken: request.csrfToken }), active: 'register' });
}

/**
 * `POST /register`: a new primary account, signed in through the password step (S24); 400 with
 * per-field messages, 409 `EMAIL_TAKEN`.
 *
 * @example
 * ```ts
 * send(ctx, await registration(siteRequest(ctx), (input) => site.accounts.register(input), steps));
 * ```
 */
export async function registration(
  request: SiteRequest,
  register: (input: NewAccountInput) => Promise<User>,
  steps: Pick<SignInSteps, 'completePasswordStep'>,
): Promise<SiteAnswer> {
  let user: User;
  try {
    user = await register(parseNewAccount(request.body));
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

/**
 * `POST /logout`, once the framework has destroyed the session (store row and cookie).
 *
 * @example
 * ```ts
 * ctx.session = null;
 * send(ctx, signedOut(wantsJson(ctx)));
 * ```
 */
export function signedOut(wantsJson: boolean): SiteAnswer {
  return wantsJson ? json({ status: 'signed-out' }) : redirect('/login');
}
