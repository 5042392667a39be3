/** QR codes rendered locally with `qrcode`, never by a remote service (S28). */
import QRCode from 'qrcode';

/**
 * Renders text (an otpauth URI) as a standalone SVG document string.
 *
 * @example
 * ```ts
 * const svg = await renderQrSvg('otpauth://totp/Acme:a?secret=AAAA');
 * ```
 */
export async function renderQrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}

/**
 * Renders text as a `data:image/png;base64,…` URL, for `<img src>`.
 *
 * @example
 * ```ts
 * const url = await renderQrDataUrl('otpauth://totp/Acme:a?secret=AAAA');
 * ```
 */
export async function renderQrDataUrl(text: string): Promise<string> {
  return QRCode.toDataURL(text, { errorCorrectionLevel: 'M', margin: 2 });
}
