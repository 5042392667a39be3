/**
 * What step-up (S35) keeps in the session: the time of the last second-factor verification (or,
 * without 2FA, password check), written by a full sign-in and by every step-up, and the
 * same-origin return path a browser goes back to afterwards.
 */

/** The session field holding the epoch milliseconds of the last verification. */
export const STEP_UP_SESSION_KEY = 'secondFactorVerifiedAt';

/**
 * Records a verification at `now` in the session (no-op without one).
 *
 * @example
 * ```ts
 * markVerified(request.session.data, resolved.clock());
 * ```
 */
export function markVerified(session: object | undefined | null, now: Date): void {
  if (session) (session as Record<string, unknown>)[STEP_UP_SESSION_KEY] = now.getTime();
}

/**
 * The epoch milliseconds of the session's last verification, or undefined.
 *
 * @example
 * ```ts
 * const verifiedAtMs = verifiedAtOf(request.session.data);
 * ```
 */
export function verifiedAtOf(session: object | undefined | null): number | undefined {
  const value = session ? (session as Record<string, unknown>)[STEP_UP_SESSION_KEY] : undefined;
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

const MAX_RETURN_TO_LENGTH = 2048;

function decodedForms(value: string): string[] {
  const forms = [value];
  let current = value;
  // Percent-encoding can be nested (%252F); a few rounds cover what a browser or proxy would undo.
  for (let round = 0; round < 3; round++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      return [...forms, '\\'];
    }
    if (next === current) break;
    forms.push(next);
    current = next;
  }
  return forms;
}

/**
 * `value` when it is a same-origin relative path (S35), else undefined. Refused: anything not
 * starting with one `/`, protocol-relative `//host`, `/\host` (browsers read `\` as `/`),
 * control characters and whitespace, and each of these percent-encoded once or more.
 *
 * @example
 * ```ts
 * safeReturnTo('/account/users'); // '/account/users'
 * safeReturnTo('//evil.test'); // undefined
 * ```
 */
export function safeReturnTo(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_RETURN_TO_LENGTH) return undefined;
  for (const form of decodedForms(value)) {
    if (!form.startsWith('/') || form.startsWith('//')) return undefined;
    // eslint-disable-next-line no-control-regex
    if (/[\\\s\u0000-\u001f\u007f]/.test(form)) return undefined;
  }
  return value;
}
