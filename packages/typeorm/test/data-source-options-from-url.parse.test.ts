import * as chai from 'chai';
import { ConfigurationError } from '@secondfactor/core';
import { dataSourceOptionsFromUrl } from '../src';

const { expect } = chai;

describe('dataSourceOptionsFromUrl', function () {
  describe('when given sqlite:<file>', function () {
    it('answers better-sqlite3 options for a relative path', function () {
      expect(dataSourceOptionsFromUrl('sqlite:.data/billing.sqlite')).to.deep.equal({
        type: 'better-sqlite3',
        database: '.data/billing.sqlite',
      });
    });

    it('accepts sqlite:///absolute/path and sqlite::memory:', function () {
      expect(dataSourceOptionsFromUrl('sqlite:///var/lib/app.sqlite')).to.deep.equal({
        type: 'better-sqlite3',
        database: '/var/lib/app.sqlite',
      });
      expect(dataSourceOptionsFromUrl('sqlite::memory:')).to.deep.equal({
        type: 'better-sqlite3',
        database: ':memory:',
      });
    });
  });

  describe('when given mysql:// or mariadb://', function () {
    it('splits the URL into mysql2 options with UTC dates', function () {
      expect(dataSourceOptionsFromUrl('mysql://billing:s3cret@db.internal:3307/billing')).to.deep.equal({
        type: 'mysql',
        host: 'db.internal',
        port: 3307,
        username: 'billing',
        password: 's3cret',
        database: 'billing',
        timezone: 'Z',
      });
    });

    it('decodes percent-encoded credentials and defaults the port and user', function () {
      const options = dataSourceOptionsFromUrl('mariadb://app:p%40ss%3Aword@127.0.0.1/test');
      expect(options).to.include({
        type: 'mariadb',
        host: '127.0.0.1',
        port: 3306,
        username: 'app',
        password: 'p@ss:word',
        database: 'test',
      });
      expect(dataSourceOptionsFromUrl('mysql://127.0.0.1/test')).to.include({ username: 'root', password: undefined });
    });

    it('takes poolSize from the query string', function () {
      expect(dataSourceOptionsFromUrl('mysql://root@127.0.0.1:3306/test?poolSize=10')).to.include({ poolSize: 10 });
    });
  });

  describe('when given postgres:// or postgresql://', function () {
    it('splits the URL into pg options', function () {
      expect(dataSourceOptionsFromUrl('postgres://billing:s3cret@db.internal:6432/billing')).to.deep.equal({
        type: 'postgres',
        host: 'db.internal',
        port: 6432,
        username: 'billing',
        password: 's3cret',
        database: 'billing',
      });
    });

    it('accepts postgresql://, decodes credentials and defaults the port and user', function () {
      expect(dataSourceOptionsFromUrl('postgresql://app:p%40ss@127.0.0.1/test?poolSize=20')).to.deep.equal({
        type: 'postgres',
        host: '127.0.0.1',
        port: 5432,
        username: 'app',
        password: 'p@ss',
        database: 'test',
        poolSize: 20,
      });
      expect(dataSourceOptionsFromUrl('postgres://127.0.0.1/test')).to.include({
        username: 'postgres',
        password: undefined,
      });
    });
  });

  describe('when the URL is not usable', function () {
    for (const bad of [
      '',
      'sqlite:',
      'oracle://u:p@h/db',
      'postgres://root@127.0.0.1:5432',
      'postgres://root@127.0.0.1/test?sslmode=require',
      'mysql://root@127.0.0.1:3306',
      'mysql://root@127.0.0.1/test?ssl=true',
      'mysql://root@127.0.0.1/test?poolSize=0',
      'not a url',
    ]) {
      it(`refuses ${JSON.stringify(bad)} with a ConfigurationError`, function () {
        expect(() => dataSourceOptionsFromUrl(bad)).to.throw(ConfigurationError);
      });
    }

    it('never puts the password in the error message', function () {
      expect(() => dataSourceOptionsFromUrl('postgres://admin:hunter2@db/prod?ssl=1'))
        .to.throw(ConfigurationError)
        .with.property('message')
        .that.does.not.include('hunter2');
    });
  });
});
