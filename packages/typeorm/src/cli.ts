#!/usr/bin/env node
/**
 * `secondfactor-typeorm`: maintenance from the command line. `reencrypt` rotates the key of every
 * stored secret (S6); `prune-events` deletes audit events past their retention (S37). Both read
 * `DATABASE_URL` from the environment, print progress to stderr and a JSON summary to stdout.
 * Exit codes: 0 done, 1 failed, 2 usage.
 */
import { isTwoFactorError } from '@secondfactor/core';
import type { CliIo } from './cli-io';
import { pruneEventsCommand } from './cli-prune-events';
import { reencryptCommand } from './cli-reencrypt';

const HELP = `Usage:
  secondfactor-typeorm reencrypt [--batch-size=<n>]
      Re-encrypts every two-factor secret that is not under the current key.
  secondfactor-typeorm prune-events --older-than <n>d|<n>h [--batch-size=<n>] [--pause-ms=<ms>]
      Deletes two-factor audit events older than the retention (e.g. 400d), at most <n> rows
      (default 5000) per statement, waiting <ms> (default 0) between statements; while users
      sign in, --batch-size=1000 --pause-ms=100 leaves them room between statements.

Environment:
  DATABASE_URL       sqlite:<file> | mysql://user:pass@host:port/db | mariadb://user:pass@host:port/db
                     | postgres://user:pass@host:port/db
  SECONDFACTOR_KEYS  (reencrypt) kid:base64key[,kid:base64key...]; the first key is current, keep the
                     old ones listed
`;

const COMMANDS: Readonly<Record<string, (args: string[], io: CliIo, usage: string) => Promise<number>>> = {
  reencrypt: reencryptCommand,
  'prune-events': pruneEventsCommand,
};

/**
 * Runs the CLI with `argv` (without node and the script path) and returns the exit code.
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
  if (!Object.hasOwn(COMMANDS, command)) {
    io.stderr(`Unknown command "${command}".\n${HELP}`);
    return 2;
  }
  try {
    return await COMMANDS[command](rest, io, HELP);
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
