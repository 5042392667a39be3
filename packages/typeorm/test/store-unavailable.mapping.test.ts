import * as chai from 'chai';
import { StoreUnavailableError } from '@secondfactor/core';
import { QueryFailedError } from 'typeorm';
import { TwoFactorStoreUnavailable } from '../src';

const { expect } = chai;

function fault(props: Record<string, unknown>, message = 'driver fault'): Error {
  return Object.assign(new Error(message), props);
}

describe('TwoFactorStoreUnavailable', function () {
  describe('when the error is a connection-level fault', function () {
    const faults: [string, unknown][] = [
      ['ECONNREFUSED', fault({ code: 'ECONNREFUSED', errno: -111 })],
      ['ETIMEDOUT', fault({ code: 'ETIMEDOUT' })],
      ['ECONNRESET', fault({ code: 'ECONNRESET' })],
      ['PROTOCOL_CONNECTION_LOST', fault({ code: 'PROTOCOL_CONNECTION_LOST', fatal: true })],
      ['a closed mysql2 pool', new Error('Pool is closed.')],
      ['a closed mysql2 connection', new Error("Can't add new command when connection is in closed state")],
      ['too many connections', fault({ code: 'ER_CON_COUNT_ERROR', errno: 1040 })],
      ['server shutdown', fault({ errno: 1053 })],
      ['lost connection during query (2013)', fault({ errno: 2013 })],
      ['a lock wait timeout', fault({ code: 'ER_LOCK_WAIT_TIMEOUT', errno: 1205 })],
      ['PostgreSQL shutting down (57P01)', fault({ code: '57P01', severity: 'FATAL' })],
      ['PostgreSQL starting up (57P03)', fault({ code: '57P03' })],
      ['too many PostgreSQL connections (53300)', fault({ code: '53300' })],
      ['a PostgreSQL connection failure (08006)', fault({ code: '08006' })],
      ['a PostgreSQL statement timeout (57014)', fault({ code: '57014' })],
      ['a pg socket that went away', new Error('Connection terminated unexpectedly')],
      ['a pg pool used after end()', new Error('Cannot use a pool after calling end on the pool')],
      ['SQLITE_BUSY', fault({ code: 'SQLITE_BUSY' })],
      ['SQLITE_IOERR_WRITE', fault({ code: 'SQLITE_IOERR_WRITE' })],
      ['a closed better-sqlite3 handle', new TypeError('The database connection is not open')],
      ['a fault wrapped by TypeORM', new QueryFailedError('SELECT 1', [], fault({ code: 'PROTOCOL_CONNECTION_LOST' }))],
      ['a fault as a cause', new Error('outer', { cause: fault({ code: 'ECONNREFUSED' }) })],
      [
        'an AggregateError of refused addresses',
        new AggregateError([fault({ code: 'ECONNREFUSED' }), fault({ code: 'ECONNREFUSED' })]),
      ],
    ];
    for (const [label, error] of faults) {
      it(`maps ${label} to a 503 StoreUnavailableError keeping the fault as cause`, function () {
        expect(TwoFactorStoreUnavailable.isConnectionFault(error)).to.equal(true);
        const mapped = TwoFactorStoreUnavailable.map(error);
        expect(mapped).to.be.instanceOf(StoreUnavailableError);
        expect(mapped).to.include({ status: 503, code: 'TWO_FACTOR_UNAVAILABLE', expose: false });
        expect((mapped as Error).cause).to.equal(error);
      });
    }

    it('passes an existing StoreUnavailableError through unchanged', function () {
      const error = new StoreUnavailableError();
      expect(TwoFactorStoreUnavailable.map(error)).to.equal(error);
    });
  });

  describe('when the error is not about the connection', function () {
    const others: [string, unknown][] = [
      ['a duplicate key', fault({ code: 'ER_DUP_ENTRY', errno: 1062 })],
      ['an SQL syntax error', new QueryFailedError('SELEC 1', [], fault({ code: 'ER_PARSE_ERROR', errno: 1064 }))],
      ['a SQLite constraint', fault({ code: 'SQLITE_CONSTRAINT_UNIQUE' })],
      ['a PostgreSQL unique violation (23505)', fault({ code: '23505' })],
      ['a PostgreSQL syntax error (42601)', new QueryFailedError('SELEC 1', [], fault({ code: '42601' }))],
      ['a programming error', new TypeError('x is not a function')],
      ['a string', 'boom'],
      ['null', null],
    ];
    for (const [label, error] of others) {
      it(`leaves ${label} as it is`, function () {
        expect(TwoFactorStoreUnavailable.isConnectionFault(error)).to.equal(false);
        expect(TwoFactorStoreUnavailable.map(error)).to.equal(error);
      });
    }
  });
});
