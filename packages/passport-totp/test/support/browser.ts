/** A cookie-keeping client for the test sites: what a user's browser or API client does. */
import request, { type Response } from 'supertest';
import type { AppUnderTest } from './app-under-test';

export interface SessionView {
  sessionId: string;
  user: { id: string; username: string } | null;
  pending: boolean;
}

export class Browser {
  private readonly agent: ReturnType<typeof request.agent>;
  /** The cookies the last password step set, to replay an old session later. */
  passwordStepCookies = '';

  constructor(private readonly app: AppUnderTest) {
    this.agent = request.agent(app.handler);
  }

  async login(username: string, password = `${username}-password`): Promise<Response> {
    const res = await this.agent.post('/login').send({ username, password });
    this.passwordStepCookies = cookieHeader(res);
    return res;
  }

  /** Sends the second step. `body` as an object goes as JSON; a string goes form-encoded. */
  challenge(body: object | string, query = ''): Promise<Response> {
    const req = this.agent.post(`/login/two-factor${query}`);
    return typeof body === 'string' ? req.type('form').send(body) : req.send(body);
  }

  async session(): Promise<SessionView> {
    const res = await this.agent.get('/session').expect(200);
    return res.body as SessionView;
  }

  protected(accept = 'application/json'): Promise<Response> {
    return this.agent.get('/protected').set('Accept', accept);
  }

  logout(): Promise<Response> {
    return this.agent.post('/logout');
  }

  /** A request with only the given cookies, as an attacker replaying an old cookie would send. */
  withCookies(cookies: string) {
    return {
      session: async (): Promise<SessionView> =>
        (await request(this.app.handler).get('/session').set('Cookie', cookies).expect(200)).body as SessionView,
      protected: () =>
        request(this.app.handler).get('/protected').set('Cookie', cookies).set('Accept', 'application/json'),
    };
  }
}

function cookieHeader(res: Response): string {
  const setCookie = res.headers['set-cookie'] as unknown as string[] | undefined;
  return (setCookie ?? []).map((cookie) => cookie.split(';')[0]).join('; ');
}
