/** Reading the parts of a page the tests assert on: its title, the secret key shown, one section. */

/**
 * The text of the page's `<title>`.
 */
export function pageTitle(html: string): string {
  return /<title>([^<]*)<\/title>/.exec(html)?.[1] ?? '';
}

/**
 * The secret key the setup page shows, without its grouping spaces.
 */
export function secretShown(html: string): string {
  const shown = /<code class="sf-secret">([^<]*)<\/code>/.exec(html)?.[1];
  if (!shown) throw new Error(`no secret key on the page: ${html.slice(0, 300)}`);
  return shown.replace(/\s+/g, '');
}

/**
 * The markup of the first `<section class="{className}">` of the page, or '' when there is none.
 */
export function sectionOf(html: string, className: string): string {
  const start = html.indexOf(`<section class="${className}"`);
  if (start < 0) return '';
  const end = html.indexOf('</section>', start);
  return html.slice(start, end < 0 ? undefined : end + '</section>'.length);
}

/**
 * The opening tag of the element with this id, or '' when there is none.
 */
export function tagOf(html: string, id: string): string {
  return new RegExp(`<[a-z]+[^>]*\\bid="${id}"[^>]*>`).exec(html)?.[0] ?? '';
}
