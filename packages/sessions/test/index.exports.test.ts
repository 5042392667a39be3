/** The public face of each entry point, pinned: adding or dropping an export is a decision, not an accident. */
import * as chai from 'chai';
import * as core from '../src';
import * as express from '../src/express';
import * as koa from '../src/koa';
import * as redis from '../src/redis';
import * as typeorm from '../src/typeorm';

const { expect } = chai;

describe('@secondfactor/sessions', function () {
  describe('when imported', function () {
    it('exports exactly its documented public API from each entry point', function () {
      expect(Object.keys(core).sort()).to.deep.equal([
        'MAX_USER_AGENT_LENGTH',
        'MAX_USER_ID_LENGTH',
        'SessionStore',
        'passportUserId',
        'sessionExpired',
        'sessionHandle',
      ]);
      expect(Object.keys(typeorm).sort()).to.deep.equal([
        'CreateSessionTable1767225600000',
        'SESSION_TABLE',
        'SecondFactorSessionEntity',
        'TypeOrmSessionStore',
        'sessionEntities',
        'sessionMigrations',
      ]);
      expect(Object.keys(redis).sort()).to.deep.equal(['RedisSessionStore']);
      expect(Object.keys(koa).sort()).to.deep.equal(['koaSessionStore']);
      expect(Object.keys(express).sort()).to.deep.equal(['ExpressSessionStore']);
    });
  });
});
