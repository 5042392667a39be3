/**
 * fast-check arbitraries for hostile HTTP bodies: wrong types, nested objects, prototype keys,
 * non-ASCII digits, NUL, oversized strings, broken JSON, odd content types and encodings (S13).
 */
import fc from 'fast-check';
import { normalizeBackupCode, normalizeTotpCode } from '@secondfactor/core';
import qs from 'qs';

/** One generated request body and how it is sent. */
export interface FuzzRequest {
  /** How the body is encoded. */
  encoding: 'json' | 'form' | 'raw';
  /** The value for `json` and `form`. */
  value?: unknown;
  /** The bytes for `raw`. */
  payload?: string | Buffer;
  /** The `Content-Type` header, or none. */
  contentType?: string;
  /** A `Content-Encoding` header, or none. */
  contentEncoding?: string;
  /** Put the (valid) CSRF token in the body instead of the header. */
  csrfInBody: boolean;
  /** The `Accept` header: JSON clients and browsers take different answer paths. Default JSON. */
  accept?: string;
}

/** Field names the site's routes read, plus ones an attacker would try. */
const FIELD_NAMES = [
  'code',
  'backupCode',
  'password',
  'email',
  'name',
  'userId',
  'user',
  'id',
  '_csrf',
  '__proto__',
  'constructor',
  'prototype',
  'secondFactor',
];

const unicodeDigits = fc.constantFrom(
  '１２３４５６',
  '١٢٣٤٥٦',
  '۱۲۳۴۵۶',
  '१२३४५६',
  '12345６',
  '+123456',
  '-123456',
  '123456\u0000',
  '\u0000',
  '12345',
  '1234567',
  '123 4567',
  '0x1E240',
  '1e5',
  'NaN',
  'Infinity',
  '𝟏𝟐𝟑𝟒𝟓𝟔',
);

/** A hostile field value: every JSON type, tricky strings and big ones. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  unicodeDigits,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), unicodeDigits), { maxLength: 4 }),
  fc.dictionary(
    fc.constantFrom(...FIELD_NAMES, 'toString', 'valueOf', 'length'),
    fc.oneof(fc.string({ maxLength: 8 }), fc.integer()),
    { maxKeys: 3 },
  ),
  fc.integer({ min: 65, max: 5000 }).map((length) => '9'.repeat(length)),
  fc.integer({ min: 1024, max: 20_000 }).map((length) => 'x'.repeat(length)),
);

/** A hostile body object. */
export const hostileObject: fc.Arbitrary<Record<string, unknown>> = fc.dictionary(
  fc.oneof(fc.constantFrom(...FIELD_NAMES), fc.string({ maxLength: 12 })),
  hostileValue,
  { maxKeys: 5 },
);

/** Raw payloads that no parser should choke on. */
const rawPayload: fc.Arbitrary<string | Buffer> = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
  fc.constantFrom(
    '{',
    '{"code":',
    '[',
    '{"code":"123456"',
    'null',
    '"123456"',
    '123456',
    'code=1&code=2&code[x]=3',
    '%%%',
    'a[b][c][d][e][f][g]=1',
    '\u0000\u0000',
  ),
  fc.integer({ min: 17_000, max: 120_000 }).map((length) => `{"code":"${'1'.repeat(length)}"}`),
  fc.integer({ min: 1, max: 60 }).map((depth) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`),
  fc.integer({ min: 1, max: 2000 }).map((count) => Array.from({ length: count }, (_, i) => `k${i}=v`).join('&')),
);

const rawContentType = fc.constantFrom(
  undefined,
  'application/json',
  'application/json; charset=utf-16',
  'application/vnd.api+json',
  'application/x-www-form-urlencoded',
  'text/plain',
  'text/html',
  'application/xml',
  'multipart/form-data; boundary=fuzz',
  'application/octet-stream',
  'image/png',
  'nonsense',
  'application/json;;;',
);

/**
 * A whole hostile request: JSON, form or raw bytes, with a content type and sometimes an encoding.
 */
export const hostileRequest: fc.Arbitrary<FuzzRequest> = fc
  .oneof(
    fc.record({
      encoding: fc.constant('json' as const),
      value: fc.oneof(hostileObject, fc.jsonValue({ maxDepth: 3 })),
      csrfInBody: fc.boolean(),
    }),
    fc.record({
      encoding: fc.constant('json' as const),
      value: fc.constantFrom<unknown>(
        { ['__proto__']: { authenticated: true, userId: '1' } },
        { constructor: { prototype: { authenticated: true } } },
      ),
      csrfInBody: fc.boolean(),
    }),
    fc.record({ encoding: fc.constant('form' as const), value: hostileObject, csrfInBody: fc.boolean() }),
    fc.record({
      encoding: fc.constant('raw' as const),
      payload: rawPayload,
      contentType: rawContentType,
      contentEncoding: fc.option(fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'bogus'), { nil: undefined }),
      csrfInBody: fc.constant(false),
    }),
  )
  .chain((request: FuzzRequest) =>
    fc.constantFrom('application/json', 'text/html', '*/*').map((accept) => ({ ...request, accept })),
  )
  .map((request: FuzzRequest) =>
    Object.defineProperty(request, fc.toStringMethod, { value: () => describeRequest(request), enumerable: false }),
  );

/**
 * A short, readable description of a request for counterexample reports (bodies can be 100 kB).
 */
export function describeRequest(request: FuzzRequest): string {
  const body = request.encoding === 'raw' ? request.payload : JSON.stringify(request.value);
  const text = Buffer.isBuffer(body) ? `<${body.length} bytes: ${body.subarray(0, 40).toString('hex')}>` : String(body);
  const shown = text.length > 160 ? `${text.slice(0, 160)}… (${text.length} chars)` : text;
  return `${request.encoding} accept=${request.accept ?? 'application/json'} content-type=${request.contentType ?? (request.encoding === 'raw' ? '<none>' : request.encoding)} content-encoding=${request.contentEncoding ?? '<none>'} csrfInBody=${request.csrfInBody} body=${shown}`;
}

/**
 * Encodes a value the way `qs` (and so Koa's form parser) would read back, with bracket keys.
 */
export function encodeForm(value: unknown, prefix = ''): string {
  if (value === null || value === undefined) return prefix ? `${encodeURIComponent(prefix)}=` : '';
  if (typeof value !== 'object')
    return prefix ? `${encodeURIComponent(prefix)}=${encodeURIComponent(String(value))}` : '';
  const parts: string[] = [];
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const encoded = encodeForm(child, prefix ? `${prefix}[${key}]` : key);
    if (encoded) parts.push(encoded);
  }
  return parts.join('&');
}

/**
 * True when the request could be a genuine attempt (a well-formed code or backup code, or a
 * password string, in the body as the site parses it): such requests may rightly count a failure, so the "no state change" fuzz
 * leaves them to the brute-force tests.
 */
export function isWellFormedAttempt(request: FuzzRequest): boolean {
  // A form body as both sites' parsers read it (qs): `[password]=x` is a password field, say.
  const parsed =
    request.encoding === 'form'
      ? qs.parse(encodeForm(request.value))
      : request.encoding === 'json'
        ? request.value
        : null;
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return false;
  const body = parsed as Record<string, unknown>;
  if (normalizeTotpCode(body.code, 6).ok) return true;
  if (normalizeBackupCode(body.backupCode).ok) return true;
  if (typeof body.password === 'string' && body.password.length > 0) return true;
  return false;
}
