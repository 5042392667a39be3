import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as chai from 'chai';
import { describeDatabase, loadConfig, parseDatabaseUrl } from '../src/config';

const { expect } = chai;

describe('loadConfig', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'billing-config-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  const key = `k1:${Buffer.alloc(32, 1).toString('base64')}`;
  const load = (env: NodeJS.ProcessEnv) => loadConfig(env, { siteDir: '/srv/site', cwd: '/srv' });

  describe('when only DATA_DIR is set', () => {
    it('uses port 3000, SQLite in the data folder, and development keys with a warning', () => {
      const config = load({ DATA_DIR: dataDir });
      expect(config.port).to.equal(3000);
      expect(config.database).to.deep.equal({ type: 'sqlite', file: resolve(dataDir, 'billing.sqlite') });
      expect(config.issuer).to.equal('Acme Billing');
      expect(config.publicUrl).to.equal('http://localhost:3000');
      expect(config.warnings).to.have.length(2);
      expect(config.warnings.join('\n'))
        .to.contain('SECONDFACTOR_KEYS is not set')
        .and.contain('SESSION_KEYS is not set');
      expect(statSync(join(dataDir, 'secondfactor-keys')).mode & 0o777).to.equal(0o600);
    });

    it('reuses the generated development keys on the next start', () => {
      const first = load({ DATA_DIR: dataDir });
      const second = load({ DATA_DIR: dataDir });
      expect(second.sessionKeys).to.deep.equal(first.sessionKeys);
      expect(readFileSync(join(dataDir, 'secondfactor-keys'), 'utf8').trim()).to.match(/^dev:/);
      expect(second.warnings[0]).to.contain('from');
    });
  });

  describe('when DATA_DIR is not set', () => {
    it("keeps the data in the site's own .data folder", () => {
      const config = loadConfig({ SECONDFACTOR_KEYS: key, SESSION_KEYS: 'a'.repeat(32) }, { siteDir: dataDir });
      expect(config.dataDir).to.equal(join(dataDir, '.data'));
      expect(config.database).to.deep.equal({ type: 'sqlite', file: join(dataDir, '.data', 'billing.sqlite') });
    });
  });

  describe('when keys and a MySQL URL are given', () => {
    it('parses them without warnings or files', () => {
      const config = load({
        DATA_DIR: dataDir,
        SECONDFACTOR_KEYS: key,
        SESSION_KEYS: 'a'.repeat(32),
        DATABASE_URL: 'mysql://root@127.0.0.1:3306/billing',
        PORT: '8080',
        ISSUER: 'Example Hosting',
      });
      expect(config.warnings).to.deep.equal([]);
      expect(config.keyring.currentKeyId).to.equal('k1');
      expect(config.database).to.deep.equal({ type: 'mysql', url: 'mysql://root@127.0.0.1:3306/billing' });
      expect(config.port).to.equal(8080);
      expect(config.issuer).to.equal('Example Hosting');
    });
  });

  describe('when NODE_ENV=production lacks keys', () => {
    it('refuses to start instead of generating development keys', () => {
      expect(() => load({ DATA_DIR: dataDir, NODE_ENV: 'production', SESSION_KEYS: 'a'.repeat(32) })).to.throw(
        'SECONDFACTOR_KEYS must be set',
      );
      expect(() => load({ DATA_DIR: dataDir, NODE_ENV: 'production', SECONDFACTOR_KEYS: key })).to.throw(
        'SESSION_KEYS must be set',
      );
    });

    it('does not seed the demo accounts unless SEED_DEMO asks for them', () => {
      const production = {
        DATA_DIR: dataDir,
        NODE_ENV: 'production',
        SECONDFACTOR_KEYS: key,
        SESSION_KEYS: 'a'.repeat(32),
      };
      expect(load(production).seedDemo).to.equal(false);
      expect(load({ ...production, SEED_DEMO: '1' }).seedDemo).to.equal(true);
      expect(load({ DATA_DIR: dataDir }).seedDemo).to.equal(true);
      expect(load({ DATA_DIR: dataDir, SEED_DEMO: 'off' }).seedDemo).to.equal(false);
    });
  });

  describe('when a value is invalid', () => {
    it('fails at start-up with a message naming the variable', () => {
      const base = { DATA_DIR: dataDir, SECONDFACTOR_KEYS: key, SESSION_KEYS: 'a'.repeat(32) };
      expect(() => load({ ...base, PORT: 'eighty' })).to.throw('PORT');
      expect(() => load({ ...base, ISSUER: 'Acme: Billing' })).to.throw('ISSUER');
      expect(() => load({ ...base, SESSION_KEYS: 'short' })).to.throw('SESSION_KEYS');
      expect(() => load({ ...base, SECONDFACTOR_KEYS: 'k1:tooshort' })).to.throw('32 bytes');
      expect(() => load({ ...base, DATABASE_URL: 'oracle://x/y' })).to.throw('DATABASE_URL');
      expect(() => load({ ...base, DATABASE_URL: 'postgres://db:5432' })).to.throw('DATABASE_URL');
      for (const bad of ['-1', '1.5', '60001', 'soon'])
        expect(() => load({ ...base, AUDIT_BATCH_MS: bad }), bad).to.throw('AUDIT_BATCH_MS');
    });
  });

  describe('when AUDIT_BATCH_MS is set or not', () => {
    it('batches successful sign-ins for 100 ms by default, and 0 turns batching off', () => {
      const base = { DATA_DIR: dataDir, SECONDFACTOR_KEYS: key, SESSION_KEYS: 'a'.repeat(32) };
      expect(load(base).auditBatchMs).to.equal(100);
      expect(load({ ...base, AUDIT_BATCH_MS: '0' }).auditBatchMs).to.equal(0);
      expect(load({ ...base, AUDIT_BATCH_MS: ' 2500 ' }).auditBatchMs).to.equal(2500);
    });
  });

  describe('when TWO_FACTOR_REQUIRED and TWO_FACTOR_GRACE_DAYS are set or not', () => {
    it('S36: requires nobody with 14 days of grace by default, takes owners and 0 to 365 days, refuses the rest', () => {
      const base = { DATA_DIR: dataDir, SECONDFACTOR_KEYS: key, SESSION_KEYS: 'a'.repeat(32) };
      expect(load(base)).to.include({ twoFactorRequired: 'none', twoFactorGraceDays: 14 });
      expect(load({ ...base, TWO_FACTOR_REQUIRED: 'Owners', TWO_FACTOR_GRACE_DAYS: '0' })).to.include({
        twoFactorRequired: 'owners',
        twoFactorGraceDays: 0,
      });
      expect(load({ ...base, TWO_FACTOR_GRACE_DAYS: '365' }).twoFactorGraceDays).to.equal(365);
      for (const bad of ['everyone', 'all', 'yes'])
        expect(() => load({ ...base, TWO_FACTOR_REQUIRED: bad }), bad).to.throw('TWO_FACTOR_REQUIRED');
      for (const bad of ['-1', '1.5', '366', 'two weeks'])
        expect(() => load({ ...base, TWO_FACTOR_GRACE_DAYS: bad }), bad).to.throw('TWO_FACTOR_GRACE_DAYS');
    });
  });

  describe('when TRUSTED_DEVICE_DAYS is set or not', () => {
    it('S34: remembers browsers for 30 days by default, 0 turns it off, and refuses nonsense', () => {
      const base = { DATA_DIR: dataDir, SECONDFACTOR_KEYS: key, SESSION_KEYS: 'a'.repeat(32) };
      expect(load(base).trustedDeviceDays).to.equal(30);
      expect(load({ ...base, TRUSTED_DEVICE_DAYS: '0' }).trustedDeviceDays).to.equal(0);
      expect(load({ ...base, TRUSTED_DEVICE_DAYS: ' 7 ' }).trustedDeviceDays).to.equal(7);
      for (const bad of ['-1', '1.5', '366', 'forever'])
        expect(() => load({ ...base, TRUSTED_DEVICE_DAYS: bad }), bad).to.throw('TRUSTED_DEVICE_DAYS');
    });
  });
});

describe('parseDatabaseUrl', () => {
  describe('when given sqlite: or mysql:// URLs', () => {
    it('resolves relative SQLite paths against the working folder and requires a MySQL database name', () => {
      expect(parseDatabaseUrl('sqlite:data/site.sqlite', '/d', '/srv')).to.deep.equal({
        type: 'sqlite',
        file: '/srv/data/site.sqlite',
      });
      expect(parseDatabaseUrl('sqlite:///tmp/x.sqlite', '/d', '/srv')).to.deep.equal({
        type: 'sqlite',
        file: '/tmp/x.sqlite',
      });
      expect(parseDatabaseUrl('mariadb://u:p@db:3306/app', '/d', '/srv')).to.deep.equal({
        type: 'mysql',
        url: 'mysql://u:p@db:3306/app',
      });
      expect(() => parseDatabaseUrl('mysql://u@db:3306/', '/d', '/srv')).to.throw('must name a database');
    });
  });

  describe('when given postgres:// or postgresql:// URLs', () => {
    it('answers a PostgreSQL database and requires its name', () => {
      expect(parseDatabaseUrl('postgres://app:secret@db:5432/billing', '/d', '/srv')).to.deep.equal({
        type: 'postgres',
        url: 'postgres://app:secret@db:5432/billing',
      });
      expect(parseDatabaseUrl('postgresql://app@db/billing', '/d', '/srv')).to.deep.equal({
        type: 'postgres',
        url: 'postgres://app@db/billing',
      });
      expect(() => parseDatabaseUrl('postgres://app:hunter2@db:5432/', '/d', '/srv'))
        .to.throw('must name a database')
        .with.property('message')
        .that.does.not.include('hunter2');
    });

    it('names the database kind and host at start, never the password', () => {
      expect(describeDatabase({ type: 'postgres', url: 'postgres://app:hunter2@db:5432/billing' })).to.equal(
        'PostgreSQL db:5432',
      );
      expect(describeDatabase({ type: 'mysql', url: 'mysql://root:hunter2@127.0.0.1:3306/billing' })).to.equal(
        'MySQL 127.0.0.1:3306',
      );
      expect(describeDatabase({ type: 'sqlite', file: '/srv/billing.sqlite' })).to.equal('SQLite /srv/billing.sqlite');
    });
  });
});
