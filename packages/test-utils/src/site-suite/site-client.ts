/**
 * An HTTP client for the example sites with its own cookie jar: one instance is one browser.
 * It speaks the documented contract (docs/architecture.md#http-contract, #example-site-contract) and nothing else, so the attack tests stay
 * valid whatever the site does inside, and whichever framework it runs on.
 */

/** A parsed response. `body` is the JSON answer, or null for non-JSON. */
export interface SiteResponse {
  status: number;
  headers: Headers;
  // The contract's answers are loose JSON; tests assert on their fields.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  text: string;
}

/** Options of one request. */
export interface SiteRequestOptions {
  /** A JSON body. */
  json?: unknown;
  /** A form-encoded body. */
  form?: Record<string, string>;
  /** A raw body with its content type (or none), for fuzzing. */
  raw?: { contentType?: string; payload: string | Buffer };
  /** Send the session's CSRF token in `x-csrf-token`. Default true for POST. */
  csrf?: boolean;
  /** Extra headers. */
  headers?: Record<string, string>;
  /** Default `application/json`. */
  accept?: string;
  /** Abort after this many ms. Default 15 s. */
  timeoutMs?: number;
}

/**
 * One browser talking to the site.
 */
export class SiteClient {
  /** Cookie name to value. */
  readonly cookies = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  /** A second browser holding copies of this one's cookies (e.g. a stolen or pre-login cookie). */
  clone(baseUrl = this.baseUrl): SiteClient {
    const copy = new SiteClient(baseUrl);
    for (const [name, value] of this.cookies) copy.cookies.set(name, value);
    return copy;
  }

  /** The `Cookie` header this browser sends. */
  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** GET. */
  get(path: string, options: SiteRequestOptions = {}): Promise<SiteResponse> {
    return this.request('GET', path, { csrf: false, ...options });
  }

  /** POST, with the CSRF token unless `csrf: false`. */
  post(path: string, options: SiteRequestOptions = {}): Promise<SiteResponse> {
    return this.request('POST', path, options);
  }

  /** `GET /session`: `{ authenticated, twoFactorPending, user, csrfToken, stepUpValidUntil }`. */
  async session(): Promise<{
    authenticated: boolean;
    twoFactorPending: boolean;
    user: unknown;
    csrfToken: string;
    stepUpValidUntil: string | null;
  }> {
    const res = await this.get('/session');
    if (res.status !== 200) throw new Error(`GET /session answered ${res.status}: ${res.text.slice(0, 300)}`);
    return res.body;
  }

  /** The current CSRF token. */
  async csrfToken(): Promise<string> {
    return (await this.session()).csrfToken;
  }

  /** `POST /register`, a new primary account, signed in. */
  register(input: { name: string; email: string; password: string }): Promise<SiteResponse> {
    return this.post('/register', { json: input });
  }

  /** `POST /login`, the password step. */
  login(email: string, password: string): Promise<SiteResponse> {
    return this.post('/login', { json: { email, password } });
  }

  /** `POST /logout`. */
  logout(): Promise<SiteResponse> {
    return this.post('/logout', { json: {} });
  }

  /** `POST /login/two-factor` with a code or a backup code, and optionally `rememberDevice` (S34). */
  challenge(
    input: { code?: unknown; backupCode?: unknown; rememberDevice?: unknown },
    options: SiteRequestOptions = {},
  ): Promise<SiteResponse> {
    return this.post('/login/two-factor', { json: input, ...options });
  }

  /** `GET /account/security/two-factor`: the status. */
  twoFactorStatus(): Promise<SiteResponse> {
    return this.get('/account/security/two-factor');
  }

  /** `POST /account/security/two-factor/enroll`. */
  enroll(options: SiteRequestOptions = {}): Promise<SiteResponse> {
    return this.post('/account/security/two-factor/enroll', { json: {}, ...options });
  }

  /** `POST /account/security/two-factor/confirm`. */
  confirm(code: unknown, options: SiteRequestOptions = {}): Promise<SiteResponse> {
    return this.post('/account/security/two-factor/confirm', { json: { code }, ...options });
  }

  /** `POST /account/security/two-factor/disable`. */
  disable(password: unknown, options: SiteRequestOptions = {}): Promise<SiteResponse> {
    return this.post('/account/security/two-factor/disable', { json: { password }, ...options });
  }

  /** `POST /account/security/two-factor/backup-codes`. */
  regenerateBackupCodes(password: unknown, options: SiteRequestOptions = {}): Promise<SiteResponse> {
    return this.post('/account/security/two-factor/backup-codes', { json: { password }, ...options });
  }

  /** Any request; cookies are sent and stored. */
  async request(method: string, path: string, options: SiteRequestOptions = {}): Promise<SiteResponse> {
    const headers: Record<string, string> = { accept: options.accept ?? 'application/json', ...options.headers };
    let body: string | Buffer | undefined;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(options.form).toString();
    } else if (options.raw) {
      if (options.raw.contentType !== undefined) headers['content-type'] = options.raw.contentType;
      body = options.raw.payload;
    }
    if ((options.csrf ?? method !== 'GET') && !headers['x-csrf-token'])
      headers['x-csrf-token'] = await this.csrfToken();
    const cookie = this.cookieHeader();
    if (cookie) headers.cookie = cookie;
    const res = await fetch(new URL(path, this.baseUrl), {
      method,
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs ?? 15000),
    });
    this.storeCookies(res.headers);
    const text = await res.text();
    let parsed: unknown = null;
    if ((res.headers.get('content-type') ?? '').includes('json')) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = null;
      }
    }
    return { status: res.status, headers: res.headers, body: parsed, text };
  }

  private storeCookies(headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq < 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((attribute) => {
        const [key, val] = attribute.split('=');
        const k = key.trim().toLowerCase();
        if (k === 'max-age') return Number(val) <= 0;
        if (k === 'expires') return Date.parse(val) <= Date.now();
        return false;
      });
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}
