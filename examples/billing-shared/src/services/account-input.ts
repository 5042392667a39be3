/** Validation of registration and sub-account forms: strings of sane size, or a 400 with per-field messages. */
import { MAX_PASSWORD_LENGTH } from './password-hasher';
import { SiteError, SiteErrorCode } from './site-error';

/** A validated new account. */
export interface NewAccountInput {
  name: string;
  /** Trimmed and lower-cased. */
  email: string;
  password: string;
}

/**
 * The shortest password accepted (NIST 800-63B §5.1.1.2).
 */
export const MIN_PASSWORD_LENGTH = 8;
const EMAIL =
  /^[^\s@<>()[\]\\,;:"]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/**
 * Validates `{ name, email, password }` from a form or JSON body. Anything but strings of the right
 * size is refused with 400 `INVALID_INPUT` and a message per field.
 */
export function parseNewAccount(body: unknown): NewAccountInput {
  const source = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const fields: Record<string, string> = {};
  const name = typeof source.name === 'string' ? source.name.trim().replace(/\s+/g, ' ') : '';
  if (!name || name.length > 100 || hasControlOrMarkup(name)) fields.name = 'Enter your name (up to 100 characters).';
  const email = parseEmail(source.email);
  if (!email) fields.email = 'Enter a valid email address.';
  const password = typeof source.password === 'string' ? source.password : '';
  if (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
    fields.password = `Choose a password of at least ${MIN_PASSWORD_LENGTH} characters.`;
  }
  if (Object.keys(fields).length > 0)
    throw new SiteError(400, SiteErrorCode.InvalidInput, 'Please correct the highlighted fields.', fields);
  return { name, email: email as string, password };
}

/** Control characters or angle brackets: never part of a person's name. */
function hasControlOrMarkup(text: string): boolean {
  return [...text].some(
    (char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f || char === '<' || char === '>',
  );
}

/**
 * Validates a login body: an email-shaped string and a password string of sane size.
 */
export function parseLogin(body: unknown): { email: string; password: string } {
  const source = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const email = typeof source.email === 'string' ? source.email.trim().toLowerCase() : '';
  const password = typeof source.password === 'string' ? source.password : '';
  if (!email || email.length > 254 || !password || password.length > MAX_PASSWORD_LENGTH) {
    throw new SiteError(400, SiteErrorCode.InvalidInput, 'Enter your email address and password.');
  }
  return { email, password };
}

/**
 * Normalises an email address (trim, lower case) or returns null when it is not one.
 */
export function parseEmail(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const email = value.trim().toLowerCase();
  return email.length <= 254 && EMAIL.test(email) ? email : null;
}

/**
 * The first word of a name, for "Hello, {first name}!".
 */
export function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] || name;
}
