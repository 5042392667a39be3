/**
 * Content negotiation: the same routes answer HTML to browsers and JSON to API clients
 * (docs/architecture.md#http-contract). One parser of `Accept` for every adapter, so Koa and Express choose alike.
 */

interface MediaRange {
  type: string;
  subtype: string;
  q: number;
  order: number;
}

const OFFERS = [
  { type: 'text', subtype: 'html', name: 'html' },
  { type: 'application', subtype: 'json', name: 'json' },
] as const;

function parseAccept(accept: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  accept.split(',').forEach((part, order) => {
    const [mediaType, ...parameters] = part.trim().split(';');
    const [type, subtype] = mediaType.trim().toLowerCase().split('/');
    if (!type || !subtype) return;
    let q = 1;
    for (const parameter of parameters) {
      const [key, value] = parameter.trim().split('=');
      if (key?.trim().toLowerCase() === 'q') q = Number.parseFloat(value ?? '');
    }
    if (Number.isFinite(q) && q >= 0) ranges.push({ type, subtype, q: Math.min(q, 1), order });
  });
  return ranges;
}

/** How well `range` names the offer: exact beats `type/*` beats `*∕*`; 0 when it does not match. */
function specificity(range: MediaRange, offer: (typeof OFFERS)[number]): number {
  if (range.type !== '*' && range.type !== offer.type) return 0;
  if (range.subtype !== '*' && range.subtype !== offer.subtype) return 0;
  return 1 + (range.type === '*' ? 0 : 2) + (range.subtype === '*' ? 0 : 1);
}

/**
 * The offer (`'html'` or `'json'`) the `Accept` header prefers, or undefined when it accepts neither.
 * Each offer takes the quality of its most specific matching range; ties go to the range named first,
 * then to HTML.
 *
 * @example
 * ```ts
 * preferredType('application/json, text/plain, *∕*'); // 'json'
 * ```
 */
export function preferredType(accept: string): 'html' | 'json' | undefined {
  const ranges = parseAccept(accept);
  let best: { name: 'html' | 'json'; q: number; s: number; order: number } | undefined;
  for (const offer of OFFERS) {
    let match: { q: number; s: number; order: number } | undefined;
    for (const range of ranges) {
      const s = specificity(range, offer);
      if (s > 0 && (!match || s > match.s)) match = { q: range.q, s, order: range.order };
    }
    if (!match || match.q <= 0) continue;
    if (
      !best ||
      match.q > best.q ||
      (match.q === best.q && (match.s > best.s || (match.s === best.s && match.order < best.order)))
    )
      best = { name: offer.name, ...match };
  }
  return best?.name;
}

/**
 * True when `Content-Type` is JSON (`application/json` or `application/*+json`).
 *
 * @example
 * ```ts
 * isJsonContentType('application/json; charset=utf-8'); // true
 * ```
 */
export function isJsonContentType(contentType: string): boolean {
  const mediaType = contentType.split(';')[0].trim().toLowerCase();
  return mediaType === 'application/json' || /^application\/[^/]+\+json$/.test(mediaType);
}

/**
 * True when the client asked for JSON: `Accept` prefers `application/json` over HTML, or there is
 * no real preference (`*∕*` or none) and the request body itself is JSON.
 *
 * @example
 * ```ts
 * if (wantsJson({ accept: 'application/json', contentType: '' })) return jsonResponse({ status: 'authenticated' });
 * ```
 */
export function wantsJson(request: { accept: string; contentType: string }): boolean {
  const accept = request.accept.trim();
  if (!accept || accept === '*/*') return isJsonContentType(request.contentType);
  return preferredType(accept) === 'json';
}
