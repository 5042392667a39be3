/**
 * The published package as a host loads it, through its `exports` map: every entry point works
 * from CommonJS and from ESM, and each loads only the peer it needs, so a Koa host on Redis never
 * needs TypeORM or express-session installed.
 */
import { execFileSync } from 'node:child_process';
import * as chai from 'chai';

const { expect } = chai;

const ENTRIES: Record<string, { names: string[]; peers: string[] }> = {
  '@secondfactor/sessions': { names: ['SessionStore', 'sessionExpired', 'sessionHandle'], peers: [] },
  '@secondfactor/sessions/typeorm': { names: ['TypeOrmSessionStore', 'sessionEntities'], peers: ['typeorm'] },
  '@secondfactor/sessions/redis': { names: ['RedisSessionStore'], peers: [] },
  '@secondfactor/sessions/koa': { names: ['koaSessionStore'], peers: [] },
  '@secondfactor/sessions/express': { names: ['ExpressSessionStore'], peers: ['express-session'] },
};
const PEERS = ['typeorm', 'ioredis', 'express-session', 'koa-session', 'koa', 'express'];

function node(args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: __dirname, encoding: 'utf8', stdio: 'pipe' }).trim();
}

describe('@secondfactor/sessions package', function () {
  for (const [entry, expected] of Object.entries(ENTRIES)) {
    describe(`when ${entry} is required from CommonJS`, function () {
      it(`has its exports and loads ${expected.peers.length ? expected.peers.join(', ') : 'no peer'}`, function () {
        const output = node([
          '-e',
          `const entry = require(${JSON.stringify(entry)});
           const peers = ${JSON.stringify(PEERS)}.filter((peer) =>
             Object.keys(require.cache).some((file) => file.includes('/node_modules/' + peer + '/')));
           console.log(JSON.stringify({ names: Object.keys(entry), peers }));`,
        ]);
        const loaded = JSON.parse(output) as { names: string[]; peers: string[] };
        expect(loaded.names).to.include.members(expected.names);
        expect(loaded.peers).to.have.members(expected.peers);
      });
    });

    describe(`when ${entry} is imported from ESM`, function () {
      it('has the same named exports', function () {
        const output = node([
          '--input-type=module',
          '-e',
          `const entry = await import(${JSON.stringify(entry)}); console.log(JSON.stringify(Object.keys(entry)));`,
        ]);
        expect(JSON.parse(output)).to.include.members(expected.names);
      });
    });
  }

  describe('when a file outside the exports map is asked for', function () {
    it('is not reachable', function () {
      expect(() => node(['-e', "require('@secondfactor/sessions/dist/session-store')"])).to.throw(
        /ERR_PACKAGE_PATH_NOT_EXPORTED/,
      );
    });
  });
});
