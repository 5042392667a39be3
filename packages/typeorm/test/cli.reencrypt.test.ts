import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as chai from 'chai';
import { runCli } from '../src/cli';
import { TypeOrmTwoFactorStore } from '../src';
import { EVERY_DIALECT, forEachDatabase, openDatabase, type TestDatabase } from './support/databases';
import { enroll, KEY_1, KEY_2, makeService } from './support/two-factor-fixture';

const { expect } = chai;
const CLI = join(__dirname, '..', 'dist', 'cli.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a child process, as `npx secondfactor-typeorm` would. */
function runChild(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 30_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

/** Runs the CLI in this process with the given environment. */
async function runInProcess(args: string[], env: Record<string, string>): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { env, stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

async function keyIds(database: TestDatabase): Promise<string[]> {
  const rows = await database.sql<{ key_id: string }>(`SELECT key_id FROM ${database.quote('two_factor_credentials')}`);
  return rows.map((row) => row.key_id);
}

describe('secondfactor-typeorm reencrypt (CLI)', function () {
  it('is built with a node shebang', function () {
    expect(readFileSync(CLI, 'utf8').split('\n')[0]).to.equal('#!/usr/bin/env node');
  });

  forEachDatabase(EVERY_DIALECT, (kind) => {
    describe('when run as a child process with DATABASE_URL and SECONDFACTOR_KEYS', function () {
      let database: TestDatabase;

      before(async function () {
        database = await openDatabase(kind);
        const fixture = makeService(new TypeOrmTwoFactorStore(database.dataSource));
        for (let i = 0; i < 5; i++) await enroll(fixture);
      });

      after(async function () {
        await database?.teardown();
      });

      it('S6: re-encrypts every secret under the first key, printing progress and a JSON summary', async function () {
        const run = await runChild(['reencrypt', '--batch-size=2'], {
          DATABASE_URL: database.url!,
          SECONDFACTOR_KEYS: `${KEY_2},${KEY_1}`,
        });
        expect(run.code, run.stderr).to.equal(0);
        expect(JSON.parse(run.stdout)).to.include({
          currentKeyId: 'k2',
          total: 5,
          scanned: 5,
          reencrypted: 5,
          skipped: 0,
        });
        expect(run.stderr).to.include('scanned 2/5').and.to.include('scanned 5/5');
        expect(await keyIds(database)).to.deep.equal(Array(5).fill('k2'));
      });

      it('is idempotent: a second run re-encrypts nothing', async function () {
        const run = await runChild(['reencrypt'], {
          DATABASE_URL: database.url!,
          SECONDFACTOR_KEYS: `${KEY_2},${KEY_1}`,
        });
        expect(run.code, run.stderr).to.equal(0);
        expect(JSON.parse(run.stdout)).to.include({ total: 0, reencrypted: 0 });
      });

      it('exits 1 with the stable code when an old key is missing, leaving the secrets alone', async function () {
        const fresh = await openDatabase(kind);
        try {
          await enroll(makeService(new TypeOrmTwoFactorStore(fresh.dataSource)));
          const run = await runInProcess(['reencrypt'], { DATABASE_URL: fresh.url!, SECONDFACTOR_KEYS: KEY_2 });
          expect(run.code).to.equal(1);
          expect(run.stderr).to.include('TWO_FACTOR_KEY_UNAVAILABLE');
          expect(await keyIds(fresh)).to.deep.equal(['k1']);
        } finally {
          await fresh.teardown();
        }
      });
    });
  });

  describe('when the environment or arguments are wrong', function () {
    it('exits 2 with usage when DATABASE_URL or SECONDFACTOR_KEYS is missing', async function () {
      const run = await runInProcess(['reencrypt'], { DATABASE_URL: 'sqlite::memory:' });
      expect(run.code).to.equal(2);
      expect(run.stderr).to.include('SECONDFACTOR_KEYS').and.to.include('Usage:');
    });

    it('exits 2 for an unknown command or argument', async function () {
      expect((await runInProcess(['rotate'], {})).code).to.equal(2);
      expect(
        (await runInProcess(['reencrypt', '--fast'], { DATABASE_URL: 'sqlite::memory:', SECONDFACTOR_KEYS: KEY_1 }))
          .code,
      ).to.equal(2);
    });

    it('exits 1 with a configuration error for a bad DATABASE_URL, never echoing its password', async function () {
      const run = await runInProcess(['reencrypt'], {
        DATABASE_URL: 'oracle://admin:hunter2@db/prod',
        SECONDFACTOR_KEYS: KEY_1,
      });
      expect(run.code).to.equal(1);
      expect(run.stderr).to.include('TWO_FACTOR_CONFIGURATION');
      expect(run.stderr).not.to.include('hunter2');
    });

    it('exits 1 with a configuration error for malformed keys', async function () {
      const run = await runInProcess(['reencrypt'], {
        DATABASE_URL: 'sqlite::memory:',
        SECONDFACTOR_KEYS: 'k1:tooshort',
      });
      expect(run.code).to.equal(1);
      expect(run.stderr).to.include('TWO_FACTOR_CONFIGURATION');
    });

    it('prints help and exits 0 for --help', async function () {
      const run = await runInProcess(['--help'], {});
      expect(run.code).to.equal(0);
      expect(run.stdout).to.include('secondfactor-typeorm reencrypt');
    });
  });
});
