/** sessionHandle: the non-secret, stable handle a listing shows instead of the session id (S33). */
import { createHash } from 'node:crypto';
import * as chai from 'chai';
import { sessionHandle } from '../src';

const { expect } = chai;

describe('sessionHandle', function () {
  describe('when given a session id', function () {
    it('S33: is the SHA-256 of the id in lowercase hex, the same every time', function () {
      const id = 'Zm9vYmFyYmF6cXV4LXNlc3Npb24taWQ';
      expect(sessionHandle(id)).to.equal(createHash('sha256').update(id).digest('hex'));
      expect(sessionHandle(id)).to.match(/^[0-9a-f]{64}$/);
      expect(sessionHandle(id)).to.equal(sessionHandle(id));
    });

    it('differs for ids that differ only in letter case', function () {
      expect(sessionHandle('AbC')).to.not.equal(sessionHandle('abc'));
    });
  });

  describe('when given something else', function () {
    it('throws a TypeError for an empty or non-string id', function () {
      expect(() => sessionHandle('')).to.throw(TypeError);
      expect(() => sessionHandle(42 as unknown as string)).to.throw(TypeError);
    });
  });
});
