/** `secondfactor-typeorm prune-events`: audit retention (S37) from the command line. */
import { withDataSource, type CliIo } from './cli-io';
import { pruneTwoFactorEvents } from './prune-two-factor-events';

const HOUR_MS = 3_600_000;
const UNIT_MS: Readonly<Record<string, number>> = { h: HOUR_MS, d: 24 * HOUR_MS };
/** A retention longer than a century is a typo, not a policy. */
const MAX_RETENTION_MS = 36_500 * 24 * HOUR_MS;

/** A retention such as `400d` or `72h` in ms, or why it is not one. */
export function parseRetention(text: string): { ok: true; ms: number } | { ok: false; message: string } {
  const match = /^([1-9]\d{0,6})([dh])$/.exec(text);
  const ms = match ? Number(match[1]) * UNIT_MS[match[2]] : NaN;
  if (!match || ms > MAX_RETENTION_MS)
    return {
      ok: false,
      message:
        `--older-than must be a whole number of days or hours from 1h to 36500d, like 400d or 72h ` +
        `(got "${text}").`,
    };
  return { ok: true, ms };
}

/** `--name value` and `--name=value` pairs, or the first argument that is neither. */
function readOptions(args: readonly string[]): { options: Map<string, string> } | { unknown: string } {
  const options = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const match = /^--(older-than|batch-size|pause-ms)(?:=(.*))?$/.exec(args[i]);
    if (!match) return { unknown: args[i] };
    const value = match[2] ?? args[++i];
    if (value === undefined) return { unknown: args[i - 1] };
    options.set(match[1], value);
  }
  return { options };
}

/**
 * Deletes the audit events older than `--older-than`: progress to stderr, a JSON summary of what
 * was deleted to stdout. Returns the exit code; `usage` is printed after an argument error.
 */
export async function pruneEventsCommand(
  args: readonly string[],
  io: CliIo,
  usage: string,
  now: () => Date = () => new Date(),
): Promise<number> {
  const read = readOptions(args);
  if ('unknown' in read) {
    io.stderr(`Unknown or incomplete argument "${read.unknown}".\n${usage}`);
    return 2;
  }
  const olderThanText = read.options.get('older-than');
  if (olderThanText === undefined) {
    io.stderr(`prune-events needs --older-than, e.g. --older-than 400d.\n${usage}`);
    return 2;
  }
  const retention = parseRetention(olderThanText);
  if (!retention.ok) {
    io.stderr(`${retention.message}\n`);
    return 2;
  }
  const batchText = read.options.get('batch-size');
  if (batchText !== undefined && (!/^[1-9]\d{0,4}$/.test(batchText) || Number(batchText) > 50_000)) {
    io.stderr(`--batch-size must be a whole number from 1 to 50000 (got "${batchText}").\n`);
    return 2;
  }
  const pauseText = read.options.get('pause-ms');
  if (pauseText !== undefined && (!/^(0|[1-9]\d{0,4})$/.test(pauseText) || Number(pauseText) > 60_000)) {
    io.stderr(`--pause-ms must be a whole number from 0 to 60000 (got "${pauseText}").\n`);
    return 2;
  }
  if (!io.env.DATABASE_URL) {
    io.stderr(`DATABASE_URL must be set.\n${usage}`);
    return 2;
  }
  const olderThan = new Date(now().getTime() - retention.ms);
  return withDataSource(io.env.DATABASE_URL, async (dataSource) => {
    const result = await pruneTwoFactorEvents(dataSource, {
      olderThan,
      batchSize: batchText === undefined ? undefined : Number(batchText),
      pauseMs: pauseText === undefined ? undefined : Number(pauseText),
      onProgress: (p) => io.stderr(`batch ${p.batches}: deleted ${p.lastBatch}, ${p.deleted} in total\n`),
    });
    io.stdout(`${JSON.stringify({ olderThan: olderThan.toISOString(), ...result })}\n`);
    return 0;
  });
}
