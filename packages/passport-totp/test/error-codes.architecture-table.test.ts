/**
 * docs/architecture.md's "Error codes" table against the code: every code the three homes export,
 * with its one status and its package, is a row, and every row is such a code. It lives here
 * because this package's tests see all three homes: core, web (a dev dependency) and this one.
 */
import * as chai from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TWO_FACTOR_ERROR_STATUS, TwoFactorErrorCode } from '@secondfactor/core';
import { ROUTE_ERROR_STATUS, RouteErrorCode } from '@secondfactor/web';
import { SECOND_STEP_ERROR_STATUS, SecondStepErrorCode } from '../src';

const { expect } = chai;

interface Row {
  code: string;
  status: number;
  package: string;
}

const ARCHITECTURE = join(__dirname, '..', '..', '..', 'docs', 'architecture.md');

/** The rows of the first table under the "## Error codes" heading. */
function tableRows(markdown: string): Row[] {
  const section = markdown.split(/^## /m).find((part) => part.startsWith('Error codes\n'));
  if (!section) throw new Error('docs/architecture.md has no "## Error codes" section');
  const lines = section.split('\n').filter((line) => line.startsWith('|'));
  const [header, separator, ...body] = lines;
  expect(header, 'the header row').to.match(/^\|\s*code\s*\|\s*status\s*\|\s*package\s*\|/);
  expect(separator, 'the separator row').to.match(/^\|[\s|:-]+\|$/);
  return body.map((line) => {
    const [code, status, home] = line
      .split('|')
      .slice(1, 4)
      .map((cell) => cell.trim());
    expect(code, line).to.match(/^`[A-Z][A-Z_]+`$/);
    expect(status, line).to.match(/^\d{3}$/);
    expect(home, line).to.match(/^`@secondfactor\/[a-z-]+`$/);
    return { code: code.slice(1, -1), status: Number(status), package: home.slice(1, -1) };
  });
}

/** Every exported code with its status and the package that declares it. */
function exportedCodes(): Row[] {
  const homes: Array<[string, readonly string[], Readonly<Record<string, number>>]> = [
    ['@secondfactor/core', Object.values(TwoFactorErrorCode), TWO_FACTOR_ERROR_STATUS],
    ['@secondfactor/passport-totp', Object.values(SecondStepErrorCode), SECOND_STEP_ERROR_STATUS],
    ['@secondfactor/web', Object.values(RouteErrorCode), ROUTE_ERROR_STATUS],
  ];
  return homes.flatMap(([home, codes, statuses]) => {
    expect(Object.keys(statuses).sort(), `${home}: a status for each code, and no other`).to.deep.equal(
      [...codes].sort(),
    );
    return codes.map((code) => ({ code, status: statuses[code], package: home }));
  });
}

const byCode = (a: Row, b: Row): number => a.code.localeCompare(b.code);

describe('docs/architecture.md', () => {
  describe('when its "Error codes" table is read', () => {
    const rows = tableRows(readFileSync(ARCHITECTURE, 'utf8'));
    const exported = exportedCodes();

    it('lists each code once', () => {
      const codes = rows.map((row) => row.code);
      expect(codes).to.have.length.greaterThan(0);
      expect(new Set(codes).size, codes.join(', ')).to.equal(codes.length);
    });

    it('gives each code a single home: no code is exported by two packages', () => {
      const codes = exported.map((row) => row.code);
      expect(new Set(codes).size, codes.join(', ')).to.equal(codes.length);
    });

    it('has a row, with its status and package, for every code the packages export', () => {
      const missing = exported.filter(
        (code) =>
          !rows.some((row) => row.code === code.code && row.status === code.status && row.package === code.package),
      );
      expect(missing, 'exported but not (or differently) in the table').to.deep.equal([]);
    });

    it('has no row the packages do not export, with that status and package', () => {
      const stale = rows.filter(
        (row) =>
          !exported.some(
            (code) => row.code === code.code && row.status === code.status && row.package === code.package,
          ),
      );
      expect(stale, 'in the table but not (or differently) in the code').to.deep.equal([]);
      expect([...rows].sort(byCode)).to.deep.equal([...exported].sort(byCode));
    });
  });
});
