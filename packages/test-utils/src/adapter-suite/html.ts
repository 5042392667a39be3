/** Tiny readers for the HTML the views produce; enough to follow forms without a browser. */

/** The text of the first element matching `selectorRegex`'s capture group 1. */
export function capture(html: string, pattern: RegExp): string {
  const match = pattern.exec(html);
  if (!match) throw new Error(`pattern ${pattern} not found in:\n${html}`);
  return match[1];
}

/** Every `<form>` as { method, action, fields, buttons }. */
export function forms(
  html: string,
): Array<{ method: string; action: string; fields: Record<string, string>; buttons: string[] }> {
  return [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)].map(([, attributes, body]) => ({
    method: /method="([^"]*)"/.exec(attributes)?.[1] ?? 'get',
    action: (/action="([^"]*)"/.exec(attributes)?.[1] ?? '').replace(/&amp;/g, '&'),
    fields: Object.fromEntries(
      [...body.matchAll(/<input\b([^>]*)>/g)].map(([, input]) => [
        /name="([^"]*)"/.exec(input)?.[1] ?? '',
        /value="([^"]*)"/.exec(input)?.[1] ?? '',
      ]),
    ),
    buttons: [...body.matchAll(/<button\b[^>]*>([\s\S]*?)<\/button>/g)].map(([, text]) => text.trim()),
  }));
}

/** The form whose submit button reads `label`. */
export function formWithButton(html: string, label: string) {
  const found = forms(html).find((form) => form.buttons.includes(label));
  if (!found) throw new Error(`no form with a "${label}" button in:\n${html}`);
  return found;
}

/** The contents of the live error region(s), tags stripped. */
export function liveErrors(html: string): string {
  return [...html.matchAll(/<div class="sf-error"[^>]*role="alert"[^>]*aria-live="assertive"[^>]*>([\s\S]*?)<\/div>/g)]
    .map(([, inner]) => inner.replace(/<[^>]+>/g, '').trim())
    .join(' ')
    .trim();
}
