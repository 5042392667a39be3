/**
 * Reads the example site's development mail outbox (`<DATA_DIR>/outbox/*.eml`), so tests can check
 * which notifications went out, to whom, and that none carries a secret (S26, S27).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One email as written by the development transport. */
export interface OutboxMail {
  file: string;
  to: string;
  subject: string;
  /** The `X-Secondfactor-Event` header: the 2FA event that caused the mail. */
  event: string | null;
  /** The whole raw message. */
  raw: string;
}

/** Unfolds RFC 5322 header lines and returns header name (lower case) to value. */
function parseHeaders(raw: string): Map<string, string> {
  const head = raw.split(/\r?\n\r?\n/, 1)[0].replace(/\r?\n[ \t]+/g, ' ');
  const headers = new Map<string, string>();
  for (const line of head.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

/** Decodes `=?UTF-8?Q?…?=` and `=?UTF-8?B?…?=` encoded words. */
function decodeWords(value: string): string {
  return value.replace(/=\?utf-8\?([QB])\?([^?]*)\?=\s*/gi, (_match, kind: string, text: string) =>
    kind.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64').toString('utf8')
      : Buffer.from(
          text
            .replace(/_/g, ' ')
            .replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
          'latin1',
        ).toString('utf8'),
  );
}

/**
 * Every mail in the outbox, oldest first. An outbox that does not exist yet is empty.
 */
export function readOutbox(dataDir: string): OutboxMail[] {
  const dir = join(dataDir, 'outbox');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.eml'))
    .sort()
    .map((name) => {
      const raw = readFileSync(join(dir, name), 'utf8');
      const headers = parseHeaders(raw);
      return {
        file: name,
        to: headers.get('to') ?? '',
        subject: decodeWords(headers.get('subject') ?? ''),
        event: headers.get('x-secondfactor-event') ?? null,
        raw,
      };
    });
}

/**
 * The mails sent to one address, oldest first.
 */
export function mailsTo(dataDir: string, email: string): OutboxMail[] {
  return readOutbox(dataDir).filter((mail) => mail.to.toLowerCase().includes(email.toLowerCase()));
}
