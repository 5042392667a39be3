/**
 * The sites' log lines as JSON objects (S27): a timestamp, the request id (also sent as
 * `X-Request-Id`), the event and its fields. Each part of the site writes a one-line message
 * such as `2fa: code.failed user=7 reason=wrong_code`; the default sink turns it into
 * `{"time":"…","requestId":"…","event":"2fa.code.failed","user":"7","reason":"wrong_code"}`.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

const requests = new AsyncLocalStorage<{ requestId: string }>();

/**
 * A new request id, safe to log and to echo in `X-Request-Id`.
 */
export function newRequestId(): string {
  return randomUUID();
}

/**
 * Runs the rest of a request with its id, so every log line it causes carries the id.
 */
export function withRequestId<T>(requestId: string, run: () => T): T {
  return requests.run({ requestId }, run);
}

/**
 * The id of the request being served, if any.
 */
export function currentRequestId(): string | undefined {
  return requests.getStore()?.requestId;
}

const MESSAGE = /^([\w-]+): ([\w.:-]+)((?: [\w.]+=(?:"(?:[^"\\]|\\.)*"|\S*))*)$/;
const FIELD = / ([\w.]+)=("(?:[^"\\]|\\.)*"|\S*)/g;

/**
 * One message as a JSON log line. A message in the `prefix: event key=value …` shape becomes the
 * event and its fields (quoted values are JSON strings); anything else is kept whole as `message`.
 */
export function jsonLogLine(message: string, now: Date, requestId: string | undefined): string {
  const entry: Record<string, unknown> = { time: now.toISOString() };
  if (requestId) entry.requestId = requestId;
  const parsed = MESSAGE.exec(message);
  if (!parsed) return JSON.stringify({ ...entry, message });
  entry.event = `${parsed[1]}.${parsed[2]}`;
  for (const [, key, raw] of parsed[3].matchAll(FIELD)) {
    if (key in entry) continue;
    entry[key] = raw.startsWith('"') ? (JSON.parse(raw) as string) : raw;
  }
  return JSON.stringify(entry);
}

/**
 * The default log sink: JSON lines on standard output, with the current request's id.
 */
export function jsonLog(message: string): void {
  console.log(jsonLogLine(message, new Date(), currentRequestId()));
}
