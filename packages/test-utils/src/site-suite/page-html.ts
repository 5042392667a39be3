/** Reading the parts of a page the tests assert on: its title, the secret key shown, one section. */

/**
 * The text of the page's `<title>`.
 *
 * @example
 * ```ts
 * expect(pageTitle(res.text)).to.match(/^Error: /);
 * ```
 */
export function pageTitle(html: string): string {
  return /<title>([^<]*)<\/title>/.exec(html)?.[1] ?? '';
}

/**
 * The secret key the setup page shows, without its grouping spaces.
 *
 * @example
 * ```ts
 * const secret = secretShown(res.text);
 * ```
 */
export function secretShown(html: string): string {
  const shown = /<code class="sf-secret">([^<]*)<\/code>/.exec(html)?.[1];
  if (!shown) throw new Error(`no secret key on the page: ${html.slice(0, 300)}`);
  return shown.replace(/\s+/g, '');
}

/**
 * The markup of the first `<section class="{className}">` of the page, or '' when there is none.
 *
 * @example
 * ```ts
 * expect(sectionOf(res.text, 'sf-verify')).to.contain('Verification Step');
 * ```
 */
export function sectionOf(html: string, className: string): string {
  const start = html.indexOf(`<section class="${className}"`);
  if (start < 0) return '';
  const end = html.indexOf('</section>', start);
  return html.slice(start, end < 0 ? undefined : end + '</section>'.length);
}

/**
 * The opening tag of the element with this id, or '' when there is none.
 *
 * @example
 * ```ts
 * expect(tagOf(res.text, 'sf-verify-code')).to.contain('autofocus');
 * ```
 */
export function tagOf(html: string, id: string): string {
  return new RegExp(`<[a-z]+[^>]*\\bid="${id}"[^>]*>`).exec(html)?.[0] ?? '';
}
