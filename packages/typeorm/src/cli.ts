#!/usr/bin/env node
/**
 * `secondfactor-typeorm reencrypt`: key rotation from the command line. Reads `DATABASE_URL` and
 * `SECONDFACTOR_KEYS` (`kid:base64[,kid:base64…]`, first is current) from the environment, prints
 * progress to stderr and a JSON summary to stdout. Exit codes: 0 done, 1 failed, 2 usage.
 */
import { isTwoFactorError, Keyring } from '@secondfactor/core';
import { DataSource } from 'typeorm';
import { dataSourceOptionsFromUrl } from './data-source-options-from-url';
import { twoFactorEntities } from './entities';
import { reencryptSecrets } from './reencrypt-secrets';

const HELP = `Usage: secondfactor-typeorm reencrypt [--batch-size=<n>]

Re-encrypts every two-factor secret that is not under the current key.

Environment:
  DATABASE_URL       sqlite:<file> | mysql://user:pass@host:port/db | mariadb://user:pass@host:port/db
  SECONDFACTOR_KEYS  kid:base64key[,kid:base64key...]; the first key is current, keep the old ones listed
`;

/** The streams and environment the CLI uses; injectable for tests. */
interface CliIo {
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

async function reencrypt(args: string[], io: CliIo): Promise<number> {
  let batchSize: number | undefined;
  for (const arg of args) {
    const match = /^--batch-size=(\d{1,5})$/.exec(arg);
    if (!match) {
      io.stderr(`Unknown argument "${arg}".\n${HELP}`);
      return 2;
    }
    batchSize = Number(match[1]);
  }
  if (!io.env.DATABASE_URL || !io.env.SECONDFACTOR_KEYS) {
    io.stderr(`DATABASE_URL and SECONDFACTOR_KEYS must both be set.\n${HELP}`);
    return 2;
  }
  const keyring = Keyring.parse(io.env.SECONDFACTOR_KEYS);
  const dataSource = new DataSource({
    ...dataSourceOptionsFromUrl(io.env.DATABASE_URL),
    entities: [...twoFactorEntities],
  });
  await dataSource.initialize();
  try {
    const result = await reencryptSecrets({
      dataSource,
      keyring,
      batchSize,
      onProgress: (p) =>
        io.stderr(`scanned ${p.scanned}/${p.total}, re-encrypted ${p.reencrypted}, skipped ${p.skipped}\n`),
    });
    io.stdout(`${JSON.stringify({ currentKeyId: keyring.currentKeyId, ...result })}\n`);
    return 0;
  } finally {
    await dataSource.destroy();
  }
}

/**
 * Runs the CLI with `argv` (without node and the script path) and returns the exit code.
 *
 * @example
 * ```ts
 * const code = await runCli(['reencrypt', '--batch-size=500']);
 * ```
 */
export async function runCli(
  argv: string[],
  io: CliIo = { env: process.env, stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) },
): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    io.stdout(HELP);
    return command === undefined ? 2 : 0;
  }
  if (command !== 'reencrypt') {
    io.stderr(`Unknown command "${command}".\n${HELP}`);
    return 2;
  }
  try {
    return await reencrypt(rest, io);
  } catch (error) {
    // A message and a code, never a stack; messages never contain DATABASE_URL, which may hold a password.
    const message = isTwoFactorError(error)
      ? `${error.code}: ${error.message}`
      : `${(error as { code?: string })?.code ?? 'ERROR'}: ${(error as Error)?.message ?? String(error)}`;
    io.stderr(`secondfactor-typeorm: ${message}\n`);
    return 1;
  }
}

if (require.main === module) {
  runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
