/**
 * Escaping for server-rendered views: every interpolated value is escaped unless it is already
 * {@link SafeHtml}, so a user's email or a host's text can never inject markup.
 */

/**
 * Markup that is already safe to emit as is (the output of {@link html} or {@link raw}).
 *
 * @example
 * ```ts
 * const fragment: SafeHtml = html`<b>${name}</b>`;
 * String(fragment); // escaped markup
 * ```
 */
export class SafeHtml {
  constructor(private readonly markup: string) {}

  /** The markup itself. */
  toString(): string {
    return this.markup;
  }
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/**
 * Escapes text for use in HTML content and in quoted attribute values.
 *
 * @example
 * ```ts
 * escapeHtml('<b>"Ada"</b>'); // '&lt;b&gt;&quot;Ada&quot;&lt;/b&gt;'
 * ```
 */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"'`]/g, (character) => ESCAPES[character]);
}

/**
 * Marks trusted markup (e.g. a view's own output, or an SVG rendered locally) as safe to embed.
 * Never pass request data through it.
 *
 * @example
 * ```ts
 * html`<main>${raw(layoutBody)}</main>`;
 * ```
 */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

function interpolate(value: unknown): string {
  if (value instanceof SafeHtml) return value.toString();
  if (value === undefined || value === null || value === false) return '';
  if (Array.isArray(value)) return value.map(interpolate).join('');
  return escapeHtml(value);
}

/**
 * A tagged template that escapes every interpolated value; arrays are joined, and `undefined`,
 * `null` and `false` render nothing, so conditional fragments read naturally.
 *
 * @example
 * ```ts
 * const email = '<script>';
 * String(html`<p>Signed in as ${email}</p>`); // '<p>Signed in as &lt;script&gt;</p>'
 * ```
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0];
  for (let i = 0; i < values.length; i += 1) out += interpolate(values[i]) + strings[i + 1];
  return new SafeHtml(out);
}
