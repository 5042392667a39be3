/** A browser or API client with its own cookie jar, speaking to an {@link AdapterHost}. */
import supertest from 'supertest';
import type { AdapterHost } from './host';
import type { HostUser } from './world';

export const MANAGEMENT = '/account/security/two-factor';
export const CHALLENGE = '/login/two-factor';
export const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

export type Agent = ReturnType<typeof supertest.agent>;

export class Client {
  readonly agent: Agent;

  constructor(readonly host: AdapterHost) {
    this.agent = supertest.agent(host.listener);
  }

  /** The CSRF token of this session, as the host's `/session` reports it. */
  async csrf(): Promise<string> {
    const res = await this.agent.get('/session').set('Accept', 'application/json');
    return res.body.csrfToken as string;
  }

  async session(): Promise<{ sessionId: string | null; user: { id: string } | null; pending: boolean }> {
    return (await this.agent.get('/session').set('Accept', 'application/json')).body;
  }

  /** GET as an API client. */
  getJson(path: string) {
    return this.agent.get(path).set('Accept', 'application/json');
  }

  /** GET as a browser. */
  getHtml(path: string) {
    return this.agent.get(path).set('Accept', BROWSER_ACCEPT);
  }

  /** POST JSON with the CSRF token in the x-csrf-token header. */
  async postJson(path: string, body: object = {}) {
    const token = await this.csrf();
    return this.agent.post(path).set('Accept', 'application/json').set('x-csrf-token', token).send(body);
  }

  /** POST a browser form with the hidden `_csrf` field. */
  async postForm(path: string, fields: Record<string, string> = {}) {
    const token = await this.csrf();
    return this.agent
      .post(path)
      .set('Accept', BROWSER_ACCEPT)
      .type('form')
      .send({ ...fields, _csrf: token });
  }

  /** The password step. */
  async logIn(user: HostUser) {
    return this.postJson('/login', { email: user.email, password: user.password });
  }

  /** Password step plus, when 2FA is on, the challenge with the current code. */
  async logInFully(user: HostUser) {
    const res = await this.logIn(user);
    if (res.body.status === 'two-factor-required') {
      const done = await this.postJson(CHALLENGE, { code: this.host.world.codeFor(user.id) });
      if (done.status !== 200) throw new Error(`challenge failed: ${done.status} ${JSON.stringify(done.body)}`);
      this.host.world.clock.advance({ seconds: 30 });
    } else if (res.status !== 200) {
      throw new Error(`login failed: ${res.status}`);
    }
  }
}
