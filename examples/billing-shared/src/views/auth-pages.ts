/** The login and registration pages. */
import { emailAddress } from './email-address';
import { fieldError, fieldState } from './form-field';
import { html, type SafeHtml } from './html';

/** A demo login printed on the login page of a development site. */
export interface DemoLogin {
  label: string;
  email: string;
  password: string;
}

/** Input of {@link loginPage}. */
export interface LoginPageInput {
  csrfToken: string;
  email?: string;
  error?: string;
  demoLogins?: DemoLogin[];
}

/**
 * The password step of the login.
 */
export function loginPage(input: LoginPageInput): SafeHtml {
  return html`<div class="auth-wrap">
  <section class="card auth-card">
    <h1>Login</h1>
    <p class="muted">Sign in to your client area.</p>
    ${input.error ? html`<div class="alert alert-error" role="alert">${input.error}</div>` : ''}
    <form method="post" action="/login" class="form">
      <input type="hidden" name="_csrf" value="${input.csrfToken}">
      <label for="email">Email address</label>
      <input id="email" name="email" type="email" autocomplete="username" required maxlength="254" value="${input.email ?? ''}" autofocus>
      <label for="password">Password</label>
      <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024">
      <button type="submit" class="button button-primary button-block">Login</button>
    </form>
    <p class="auth-switch">New here? <a href="/register">Create an account</a></p>
  </section>
  ${
    input.demoLogins?.length
      ? html`<aside class="card demo-card">
        <h2>Demo accounts</h2>
        <table class="table table-compact">
          <tbody>${input.demoLogins.map((demo) => html`<tr><th scope="row">${demo.label}</th><td data-label="Email address"><code>${emailAddress(demo.email)}</code></td><td data-label="Password"><code>${demo.password}</code></td></tr>`)}</tbody>
        </table>
      </aside>`
      : ''
  }
</div>`;
}

/** Input of {@link registerPage}. */
export interface RegisterPageInput {
  csrfToken: string;
  values?: { name?: string; email?: string };
  error?: string;
  fields?: Record<string, string>;
}

/**
 * The registration form for a new primary account.
 */
export function registerPage(input: RegisterPageInput): SafeHtml {
  const fields = input.fields ?? {};
  return html`<div class="auth-wrap">
  <section class="card auth-card">
    <h1>Create your account</h1>
    <p class="muted">Manage your services and invoices in one place.</p>
    ${input.error ? html`<div class="alert alert-error" role="alert">${input.error}</div>` : ''}
    <form method="post" action="/register" class="form">
      <input type="hidden" name="_csrf" value="${input.csrfToken}">
      <label for="name">Full name</label>
      <input id="name" name="name" type="text" autocomplete="name" required maxlength="100" value="${input.values?.name ?? ''}"${fieldState('name', fields)}>
      ${fieldError('name', fields)}
      <label for="email">Email address</label>
      <input id="email" name="email" type="email" autocomplete="email" required maxlength="254" value="${input.values?.email ?? ''}"${fieldState('email', fields)}>
      ${fieldError('email', fields)}
      <label for="password">Password</label>
      <input id="password" name="password" type="password" autocomplete="new-password" required minlength="8" maxlength="1024"${fieldState('password', fields)}>
      ${fieldError('password', fields)}
      <button type="submit" class="button button-primary button-block">Register</button>
    </form>
    <p class="auth-switch">Already have an account? <a href="/login">Login</a></p>
  </section>
</div>`;
}
