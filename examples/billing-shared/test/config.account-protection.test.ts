import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as chai from 'chai';
import { loadConfig } from '../src/config';

const { expect } = chai;

describe('loadConfig (account protection)', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'billing-config-ap-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  const load = (env: NodeJS.ProcessEnv) => loadConfig({ DATA_DIR: dataDir, ...env }, { siteDir: '/srv/site' });

  describe('when nothing is set', () => {
    it('S32, S33: LOGIN_IP_LIMIT 100, SESSION_IDLE_MINUTES 30, SESSION_MAX_HOURS 12, plain HTTP', () => {
      expect(load({})).to.include({
        loginIpLimit: 100,
        sessionIdleMinutes: 30,
        sessionMaxHours: 12,
        cookieSecure: false,
        https: false,
        trustProxy: false,
      });
    });
  });

  describe('when the numbers are given', () => {
    it('S32, S33: takes them, 0 turns the address limit off, and refuses nonsense at start-up', () => {
      expect(load({ LOGIN_IP_LIMIT: '0', SESSION_IDLE_MINUTES: '15', SESSION_MAX_HOURS: '8' })).to.include({
        loginIpLimit: 0,
        sessionIdleMinutes: 15,
        sessionMaxHours: 8,
      });
      expect(() => load({ LOGIN_IP_LIMIT: '-1' })).to.throw('LOGIN_IP_LIMIT');
      expect(() => load({ SESSION_IDLE_MINUTES: '1' })).to.throw('SESSION_IDLE_MINUTES');
      expect(() => load({ SESSION_MAX_HOURS: 'soon' })).to.throw('SESSION_MAX_HOURS');
    });
  });

  describe('when the public URL is https', () => {
    it('S38: in any letter case the cookie is Secure and HSTS is on, with TRUST_PROXY', () => {
      expect(load({ PUBLIC_URL: 'HTTPS://billing.example.com', TRUST_PROXY: '1' })).to.include({
        cookieSecure: true,
        https: true,
        trustProxy: true,
      });
    });

    it('S38: without TRUST_PROXY the site refuses to start and says what to set', () => {
      expect(() => load({ PUBLIC_URL: 'https://billing.example.com' })).to.throw(/set TRUST_PROXY=1/);
      expect(() => load({ COOKIE_SECURE: '1' })).to.throw(/set TRUST_PROXY=1/);
    });

    it('S38: with NODE_ENV=production and COOKIE_SECURE=0 the site refuses to start', () => {
      const keys = {
        SECONDFACTOR_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`,
        SESSION_KEYS: 'a-session-key-of-some-length',
      };
      expect(() =>
        load({ ...keys, NODE_ENV: 'production', PUBLIC_URL: 'https://billing.example.com', COOKIE_SECURE: '0' }),
      ).to.throw(/COOKIE_SECURE=1/);
    });
  });
});
