import * as chai from 'chai';
import { QueryFailedError } from 'typeorm';
import { describeError } from '../src/http/error-answer';
import { isDatabaseUnavailable } from '../src/services/database-faults';
import { SiteError } from '../src/services/site-error';

const { expect } = chai;

function driverError(code: string): Error {
  return Object.assign(new Error(`driver: ${code}`), { code });
}

describe('isDatabaseUnavailable', () => {
  describe('when the database cannot be reached', () => {
    it('recognises connection codes, TypeORM wrappers, causes and closed pools', () => {
      expect(isDatabaseUnavailable(driverError('ECONNREFUSED'))).to.equal(true);
      expect(
        isDatabaseUnavailable(new QueryFailedError('SELECT 1', [], driverError('PROTOCOL_CONNECTION_LOST'))),
      ).to.equal(true);
      expect(isDatabaseUnavailable(new Error('wrapped', { cause: driverError('SQLITE_BUSY') }))).to.equal(true);
      expect(isDatabaseUnavailable(driverError('SQLITE_IOERR_WRITE'))).to.equal(true);
      expect(isDatabaseUnavailable(Object.assign(new Error('x'), { name: 'CannotExecuteNotConnectedError' }))).to.equal(
        true,
      );
      expect(isDatabaseUnavailable(new Error("Can't add new command when connection is in closed state"))).to.equal(
        true,
      );
    });

    it('recognises PostgreSQL shutdown and connection SQLSTATEs and pg socket errors', () => {
      expect(isDatabaseUnavailable(new QueryFailedError('SELECT 1', [], driverError('57P01')))).to.equal(true);
      expect(isDatabaseUnavailable(driverError('08006'))).to.equal(true);
      expect(isDatabaseUnavailable(driverError('53300'))).to.equal(true);
      expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).to.equal(true);
      expect(isDatabaseUnavailable(new Error('Cannot use a pool after calling end on the pool'))).to.equal(true);
    });
  });

  describe('when the error is a bug or a constraint', () => {
    it('answers false', () => {
      expect(isDatabaseUnavailable(new TypeError('x is undefined'))).to.equal(false);
      expect(isDatabaseUnavailable(new QueryFailedError('INSERT', [], driverError('ER_DUP_ENTRY')))).to.equal(false);
      expect(isDatabaseUnavailable(new QueryFailedError('INSERT', [], driverError('23505')))).to.equal(false);
      expect(isDatabaseUnavailable(null)).to.equal(false);
    });
  });
});

describe('describeError', () => {
  describe('when errors of each kind are thrown', () => {
    it('maps them to status, stable code and a safe message; 5xx internals never reach the client', () => {
      expect(describeError(new SiteError(409, 'EMAIL_TAKEN', 'Taken'))).to.include({
        status: 409,
        code: 'EMAIL_TAKEN',
        message: 'Taken',
      });
      expect(describeError(driverError('ECONNREFUSED'))).to.include({ status: 503, code: 'SERVICE_UNAVAILABLE' });
      const bug = describeError(new Error('secret stack detail'));
      expect(bug).to.include({ status: 500, code: 'INTERNAL_ERROR' });
      expect(bug.message).to.not.contain('secret stack detail');
      const tooLarge = describeError(
        Object.assign(new Error('request entity too large'), { status: 413, expose: true, type: 'entity.too.large' }),
      );
      expect(tooLarge).to.include({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    });

    it("S25: answers csrf-sync's refusal as the sites' 403 CSRF_INVALID", () => {
      const refusal = Object.assign(new Error('invalid csrf token'), { status: 403, code: 'EBADCSRFTOKEN' });
      expect(describeError(refusal)).to.include({ status: 403, code: 'CSRF_INVALID' });
    });

    it("answers Express's body-parser errors as 400 BAD_REQUEST and 415, with a plain message", () => {
      const parse = Object.assign(new SyntaxError('Unexpected token } in JSON at position 12'), {
        status: 400,
        expose: true,
        type: 'entity.parse.failed',
      });
      expect(describeError(parse)).to.deep.equal({
        status: 400,
        code: 'BAD_REQUEST',
        message: 'Bad request',
        headers: {},
      });
      const encoding = Object.assign(new Error('unsupported content encoding "zip"'), {
        status: 415,
        expose: true,
        type: 'encoding.unsupported',
      });
      expect(describeError(encoding)).to.include({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
    });
  });
});
