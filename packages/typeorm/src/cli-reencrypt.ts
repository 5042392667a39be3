/** `secondfactor-typeorm reencrypt`: key rotation (S6) from the command line. */
import { Keyring } from '@secondfactor/core';
import { withDataSource, type CliIo } from './cli-io';
import { reencryptSecrets } from './reencrypt-secrets';

/**
 * Re-encrypts every secret not under the first key of `SECONDFACTOR_KEYS`: progress to stderr, a
 * JSON summary to stdout. Returns the exit code; `usage` is printed after an argument error.
 */
export async function reencryptCommand(args: readonly string[], io: CliIo, usage: string): Promise<number> {
  let batchSize: number | undefined;
  for (const arg of args) {
    const match = /^--batch-size=(\d{1,5})$/.exec(arg);
    if (!match) {
      io.stderr(`Unknown argument "${arg}".\n${usage}`);
      return 2;
    }
    batchSize = Number(match[1]);
  }
  if (!io.env.DATABASE_URL || !io.env.SECONDFACTOR_KEYS) {
    io.stderr(`DATABASE_URL and SECONDFACTOR_KEYS must both be set.\n${usage}`);
    return 2;
  }
  const keyring = Keyring.parse(io.env.SECONDFACTOR_KEYS);
  return withDataSource(io.env.DATABASE_URL, async (dataSource) => {
    const result = await reencryptSecrets({
      dataSource,
      keyring,
      batchSize,
      onProgress: (p) =>
        io.stderr(`scanned ${p.scanned}/${p.total}, re-encrypted ${p.reencrypted}, skipped ${p.skipped}\n`),
    });
    io.stdout(`${JSON.stringify({ currentKeyId: keyring.currentKeyId, ...result })}\n`);
    return 0;
  });
}
