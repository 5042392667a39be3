/**
 * Finds secrets where they must never be (S27): in log lines, events, mail and raw database rows.
 * A 6-digit code only counts when it stands alone, so timestamps and ids do not raise false alarms.
 */

/** One secret a test handled, and what it is. */
export interface KnownSecret {
  kind: 'totp-code' | 'totp-secret' | 'backup-code' | 'otpauth-uri' | 'password' | 'other';
  value: string;
}

/** A place a secret was found. */
export interface SecretLeak {
  kind: KnownSecret['kind'];
  value: string;
  where: string;
  excerpt: string;
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Every spelling of a secret a careless log might use. */
function patterns(secret: KnownSecret): RegExp[] {
  switch (secret.kind) {
    case 'totp-code':
      return [new RegExp(`(?<![0-9A-Za-z])${secret.value}(?![0-9A-Za-z])`)];
    case 'backup-code': {
      const bare = secret.value.replace(/[- ]/g, '').toUpperCase();
      return [
        new RegExp(escapeRegExp(bare), 'i'),
        new RegExp(escapeRegExp(bare.match(/.{1,4}/g)?.join('-') ?? bare), 'i'),
      ];
    }
    case 'totp-secret': {
      // Base32 as shown, grouped for display, and as the raw bytes in hex and base64.
      return [
        new RegExp(escapeRegExp(secret.value), 'i'),
        new RegExp(escapeRegExp(secret.value.match(/.{1,4}/g)?.join(' ') ?? secret.value), 'i'),
      ];
    }
    case 'otpauth-uri':
      return [new RegExp(escapeRegExp(secret.value)), /otpauth:\/\//i];
    default:
      return [new RegExp(escapeRegExp(secret.value))];
  }
}

/**
 * Searches named texts for known secrets and returns every hit.
 */
export function findSecrets(texts: Record<string, string>, secrets: readonly KnownSecret[]): SecretLeak[] {
  const leaks: SecretLeak[] = [];
  for (const [where, text] of Object.entries(texts)) {
    for (const secret of secrets) {
      for (const pattern of patterns(secret)) {
        const match = pattern.exec(text);
        if (match) {
          const start = Math.max(0, match.index - 60);
          leaks.push({
            kind: secret.kind,
            value: secret.value,
            where,
            excerpt: text.slice(start, match.index + match[0].length + 60),
          });
          break;
        }
      }
    }
  }
  return leaks;
}

/**
 * The raw-byte spellings of a base32 secret (hex and base64), for database scans.
 */
export function rawSecretSpellings(base32: string, decode: (value: string) => Uint8Array | null): KnownSecret[] {
  const decoded = decode(base32);
  if (!decoded) throw new Error('Not a base32 secret.');
  const bytes = Buffer.from(decoded);
  return [
    { kind: 'other', value: bytes.toString('hex') },
    { kind: 'other', value: bytes.toString('base64').replace(/=+$/, '') },
    { kind: 'other', value: bytes.toString('base64url') },
  ];
}
