import * as chai from 'chai';
import { categorize, StatementCounter } from './site/statement-counter';

const { expect } = chai;

describe('StatementCounter', () => {
  describe('when statements are logged', () => {
    it('counts them by table and counts the writes', () => {
      const counter = new StatementCounter();
      counter.logQuery('SELECT id FROM `two_factor_credentials` WHERE user_id = ?');
      counter.logQuery('UPDATE "two_factor_credentials" SET last_used_step = ? WHERE id = ?');
      counter.logQuery('INSERT INTO `two_factor_audit_events` (id) VALUES (?)');
      counter.logQuery('SELECT `User`.`id` FROM `users` `User` WHERE `User`.`id` = ?');
      counter.logQuery('DELETE FROM `sessions` WHERE `id` = ?');
      counter.logQuery('UPDATE "secondfactor_sessions" SET "expires_at" = $1 WHERE "handle" = $2');
      counter.logQuery('START TRANSACTION');
      const counts = counter.snapshot();
      expect(counts).to.include({
        total: 7,
        writes: 4,
        two_factor_store: 2,
        two_factor_audit: 1,
        users: 1,
        sessions: 2,
        transaction: 1,
        other: 0,
      });
    });

    it('starts from zero after a reset', () => {
      const counter = new StatementCounter();
      counter.logQuery('SELECT 1');
      counter.reset();
      expect(counter.snapshot().total).to.equal(0);
    });
  });

  describe('when capturing statement texts', () => {
    it('keeps the statement shape but not inlined numbers such as a time step', () => {
      const counter = new StatementCounter();
      counter.startCapture();
      counter.logQuery('UPDATE "two_factor_credentials"\n  SET last_used_step = 59861578 WHERE id = ?');
      expect(counter.stopCapture()).to.deep.equal([
        'UPDATE "two_factor_credentials" SET last_used_step = ? WHERE id = ?',
      ]);
    });
  });

  describe('when capturing statements with their parameters', () => {
    it('keeps each statement as sent, with a copy of its parameters, only while capturing', () => {
      const counter = new StatementCounter();
      counter.logQuery('SELECT 1 FROM users WHERE id = ?', [1]);
      counter.startCaptureWithParameters();
      const parameters: unknown[] = ['42', 59861578];
      counter.logQuery('UPDATE two_factor_credentials\n  SET last_used_step = ? WHERE id = ?', parameters);
      counter.logQuery('COMMIT');
      parameters.length = 0;
      expect(counter.stopCaptureWithParameters()).to.deep.equal([
        { sql: 'UPDATE two_factor_credentials\n  SET last_used_step = ? WHERE id = ?', parameters: ['42', 59861578] },
        { sql: 'COMMIT', parameters: [] },
      ]);
      counter.logQuery('SELECT 2');
      expect(counter.stopCaptureWithParameters()).to.deep.equal([]);
    });
  });

  describe('when classifying', () => {
    it('tells the baseline secret table and user ids apart from the users table', () => {
      expect(categorize('SELECT secret FROM bench_legacy_totp_secrets WHERE user_id = ?')).to.equal('baseline_secret');
      expect(categorize('SELECT hash FROM `two_factor_backup_codes` WHERE credential_id = ?')).to.equal(
        'two_factor_store',
      );
      expect(categorize('SELECT 1 FROM invoices WHERE user_id = ?')).to.equal('other');
    });
  });
});
