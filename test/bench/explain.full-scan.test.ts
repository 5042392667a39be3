import * as chai from 'chai';
import {
  formatMysqlPlanRow,
  mysqlFullScan,
  postgresFullScan,
  postgresParameterCount,
  statementsToPlan,
  statementText,
} from './lib/explain';

const { expect } = chai;

describe('explain helpers', () => {
  describe('when a MariaDB plan is read', () => {
    it('flags a read of type ALL as a full scan, but not the target of an INSERT … VALUES', () => {
      expect(mysqlFullScan([{ select_type: 'SIMPLE', table: 'users', type: 'const', key: 'PRIMARY' }])).to.be.false;
      expect(mysqlFullScan([{ select_type: 'INSERT', table: 'two_factor_audit_events', type: 'ALL' }])).to.be.false;
      expect(mysqlFullScan([{ select_type: 'SIMPLE', table: 'two_factor_audit_events', type: 'ALL' }])).to.be.true;
    });

    it('formats a row with its access type, key and estimated rows', () => {
      expect(
        formatMysqlPlanRow({
          select_type: 'SIMPLE',
          table: 'two_factor_credentials',
          type: 'const',
          key: 'UQ_two_factor_credentials_user_id',
          rows: 1,
          Extra: null,
        }),
      ).to.equal('SIMPLE two_factor_credentials, type const, key UQ_two_factor_credentials_user_id, rows 1');
    });
  });

  describe('when a PostgreSQL plan is read', () => {
    it('flags a Seq Scan anywhere in the plan, and not an index scan', () => {
      expect(postgresFullScan(['Index Scan using "PK_users" on users  (cost=0.42..8.44 rows=1 width=80)'])).to.be.false;
      expect(postgresFullScan(['Update on sessions', '  ->  Seq Scan on sessions  (cost=0.00..1.01 rows=1)'])).to.be
        .true;
    });
  });

  describe('when a PostgreSQL statement is prepared for its generic plan', () => {
    it('counts its placeholders by the highest one, repeats included', () => {
      expect(postgresParameterCount('UPDATE t SET a = $1 WHERE id = $3 AND b <= $2 AND c < $1')).to.equal(3);
      expect(postgresParameterCount('SELECT 1')).to.equal(0);
    });
  });

  describe('when a statement is shown', () => {
    it('collapses whitespace and masks numbers a driver inlined', () => {
      expect(statementText('UPDATE t\n  SET step = 59861578 WHERE id = ? LIMIT 1')).to.equal(
        'UPDATE t SET step = ? WHERE id = ? LIMIT 1',
      );
    });
  });

  describe('when choosing the statements to plan', () => {
    it('drops transaction control and repeats, keeping the first parameters of each text', () => {
      const kept = statementsToPlan([
        { sql: 'START TRANSACTION', parameters: [] },
        { sql: 'SELECT * FROM users WHERE id = ?', parameters: [1] },
        { sql: 'SELECT *  FROM users\n WHERE id = ?', parameters: [2] },
        { sql: 'UPDATE two_factor_credentials SET last_used_step = ? WHERE id = ?', parameters: [5, 'c'] },
        { sql: 'COMMIT', parameters: [] },
      ]);
      expect(kept.map((s) => s.parameters)).to.deep.equal([[1], [5, 'c']]);
    });
  });
});
