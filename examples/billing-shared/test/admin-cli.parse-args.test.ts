import * as chai from 'chai';
import { parseAdminArgs } from '../src/admin-cli';

const { expect } = chai;

describe('parseAdminArgs', () => {
  describe('when the command line is valid', () => {
    it('reads the command, the normalised email, --actor and --json in any order', () => {
      expect(parseAdminArgs(['--json', '2fa:disable', 'Ada@Example.com', '--actor', 'support:jane'])).to.deep.equal({
        command: '2fa:disable',
        email: 'ada@example.com',
        actor: 'support:jane',
        json: true,
      });
      const status = parseAdminArgs(['2fa:status', 'ada@example.com']);
      expect(status).to.include({ command: '2fa:status', json: false });
      expect((status as { actor: string }).actor).to.match(/^cli:/);
    });
  });

  describe('when the command line is wrong', () => {
    it('returns an error message, and never offers 2fa:enable (S10: support cannot turn 2FA on)', () => {
      for (const argv of [
        [],
        ['2fa:enable', 'a@example.com'],
        ['2fa:unlock'],
        ['2fa:unlock', 'nope'],
        ['2fa:status', 'a@example.com', 'more'],
        ['2fa:status', 'a@example.com', '--actor'],
      ]) {
        const parsed = parseAdminArgs(argv);
        expect(parsed, argv.join(' ')).to.have.property('error').that.is.a('string').and.not.equal('');
      }
      expect(parseAdminArgs(['--help'])).to.deep.equal({ error: '' });
    });
  });
});
