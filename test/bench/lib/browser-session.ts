/** A scripted client with a cookie jar, for the untimed set-up steps (register, enroll, log in). */
import http from 'node:http';
import { httpRequest, type HttpResponse } from './http-client';

/**
 * One client's cookies and CSRF token against one site.
 */
export class BrowserSession {
  private readonly cookies = new Map<string, string>();
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  csrfToken = '';

  constructor(readonly port: number) {}

  /** The `Cookie` header for the current jar. */
  get cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** Reads a fresh CSRF token from `GET /session`. */
  async refreshCsrf(): Promise<void> {
    const res = await this.request('GET', '/session');
    this.csrfToken = (JSON.parse(res.body) as { csrfToken: string }).csrfToken;
  }

  /** A JSON POST with the CSRF header; throws unless the status is expected. */
  async postJson(
    path: string,
    body: Record<string, unknown>,
    expected: number[] = [200, 201],
  ): Promise<Record<string, unknown>> {
    const res = await this.request('POST', path, JSON.stringify(body));
    if (!expected.includes(res.status))
      throw new Error(`bench set-up: POST ${path} answered ${res.status}: ${res.body.slice(0, 300)}`);
    return res.body ? (JSON.parse(res.body) as Record<string, unknown>) : {};
  }

  /** One request with the jar's cookies, JSON accepted; stores any cookie set. */
  async request(method: string, path: string, body?: string): Promise<HttpResponse> {
    const headers: Record<string, string> = { accept: 'application/json', cookie: this.cookieHeader };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.csrfToken) headers['x-csrf-token'] = this.csrfToken;
    const res = await httpRequest(this.agent, { port: this.port, method, path, headers, body });
    for (const cookie of res.headers['set-cookie'] ?? []) {
      const [pair] = cookie.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at);
      const value = pair.slice(at + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(cookie)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  /** Closes the keep-alive socket. */
  close(): void {
    this.agent.destroy();
  }
}
