import * as chai from 'chai';
import { isValidUserId, MAX_USER_ID_LENGTH } from '../src';

const { expect } = chai;

describe('isValidUserId', function () {
  describe('when the id is one every store can hold and keep apart', function () {
    const valid: Array<[string, string]> = [
      ['a number as a string', '42'],
      ['a UUID', '3f0c1d5e-8a4b-4c2e-9d7f-1a2b3c4d5e6f'],
      ['an email address', 'ada@example.com'],
      ['a space inside', 'Ada Lovelace'],
      ['accents and other scripts', 'Zoë-Ωμέγα-数据'],
      ['a character outside the BMP (a surrogate pair)', 'user-😀'],
      ['one character', 'x'],
      [`${MAX_USER_ID_LENGTH} UTF-16 code units`, 'u'.repeat(MAX_USER_ID_LENGTH)],
    ];
    for (const [label, id] of valid)
      it(`accepts ${label}`, function () {
        expect(isValidUserId(id)).to.equal(true);
      });
  });

  describe('when the id is not', function () {
    const invalid: Array<[string, unknown]> = [
      ['the empty string', ''],
      [`${MAX_USER_ID_LENGTH + 1} code units`, 'u'.repeat(MAX_USER_ID_LENGTH + 1)],
      ['a NUL character', 'user\u0000'],
      ['a line feed', 'user\nadmin'],
      ['a tab', 'user\t1'],
      ['DEL', 'user\u007f'],
      ['a C1 control character (NEL)', 'user\u0085'],
      ['a lone high surrogate', 'user\ud83d'],
      ['a lone low surrogate', '\ude00user'],
      ['a trailing space (MySQL would find "user" with it)', 'user '],
      ['a leading space', ' user'],
      ['a trailing no-break space', 'user\u00a0'],
      ['a number', 42],
      ['null', null],
      ['undefined', undefined],
      ['an object', { toString: () => '42' }],
    ];
    for (const [label, id] of invalid)
      it(`refuses ${label}`, function () {
        expect(isValidUserId(id)).to.equal(false);
      });
  });

  describe('when the limit is read', function () {
    it('is 255, the width of the user_id columns', function () {
      expect(MAX_USER_ID_LENGTH).to.equal(255);
    });
  });
});
