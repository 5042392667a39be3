/**
 * A small browser for the adoption test: a cookie jar over fetch, no automatic redirects, and the
 * forms of a page read from its HTML, so the app's own forms are posted the way a browser posts them.
 */

/** One `<form>` of a page. */
export interface Form {
  method: string;
  action: string;
  /** Hidden fields, with their values (the CSRF token among them). */
  hidden: Record<string, string>;
  /** Names of the other inputs. */
  fields: string[];
  /** The text of its buttons. */
  buttons: string[];
}

/** A fetched page or redirect. */
export interface Page {
  status: number;
  location: string | null;
  html: string;
  forms: Form[];
}

const attribute = (tag: string, name: string): string | undefined =>
  new RegExp(`\\s${name}="([^"]*)"`)
    .exec(tag)?.[1]
    ?.replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"');

/** The forms of `html`, in document order. */
export function formsOf(html: string): Form[] {
  return [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)].map(([, tag, body]) => {
    const form: Form = {
      method: (attribute(tag, 'method') ?? 'get').toUpperCase(),
      action: attribute(tag, 'action') ?? '',
      hidden: {},
      fields: [],
      buttons: [...body.matchAll(/<button\b[^>]*>([\s\S]*?)<\/button>/g)].map(([, text]) => text.trim()),
    };
    for (const [input] of body.matchAll(/<input\b[^>]*>/g)) {
      const name = attribute(input, 'name');
      if (!name) continue;
      if (attribute(input, 'type') === 'hidden') form.hidden[name] = attribute(input, 'value') ?? '';
      else form.fields.push(name);
    }
    return form;
  });
}

/** A browser session against one origin. */
export class Browser {
  private readonly cookies = new Map<string, string>();

  constructor(private readonly origin: string) {}

  /** GET `path` as a browser. */
  get(path: string): Promise<Page> {
    return this.request('GET', path);
  }

  /** Follows redirects from `page` (at most five) and answers the last page. */
  async follow(page: Page): Promise<Page> {
    let current = page;
    for (let hops = 0; current.location && hops < 5; hops += 1) current = await this.get(current.location);
    return current;
  }

  /** Submits the form whose button reads `button`, with `fields` beside its hidden fields. */
  async submit(page: Page, button: string, fields: Record<string, string> = {}): Promise<Page> {
    const form = page.forms.find((candidate) => candidate.buttons.includes(button));
    if (!form) throw new Error(`no form with a "${button}" button on the page:\n${page.html}`);
    const missing = Object.keys(fields).filter((name) => !form.fields.includes(name));
    if (missing.length > 0) throw new Error(`the "${button}" form has no field ${missing.join(', ')}`);
    const values = new URLSearchParams({ ...form.hidden, ...fields });
    if (form.method === 'GET') return this.get(`${form.action}?${values}`);
    return this.request('POST', form.action, values);
  }

  /** POSTs `fields` to `path` as a form, without a CSRF token unless given. */
  post(path: string, fields: Record<string, string>): Promise<Page> {
    return this.request('POST', path, new URLSearchParams(fields));
  }

  private async request(method: string, path: string, body?: URLSearchParams): Promise<Page> {
    const headers: Record<string, string> = { accept: 'text/html' };
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    if (body) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(new URL(path, this.origin), { method, headers, body, redirect: 'manual' });
    for (const cookie of res.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const split = pair.indexOf('=');
      this.cookies.set(pair.slice(0, split).trim(), pair.slice(split + 1).trim());
    }
    const html = await res.text();
    return { status: res.status, location: res.headers.get('location'), html, forms: formsOf(html) };
  }
}
