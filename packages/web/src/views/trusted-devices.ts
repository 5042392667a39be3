/** The Trusted devices list of Security Settings (S34): each remembered browser, revocable. */
import { html, raw, type SafeHtml } from '../html';
import { postForm } from './components';
import type { TrustedDevicesViewModel } from './models';

function when(date: Date): SafeHtml {
  const iso = date.toISOString();
  return html`<time datetime="${iso}">${iso.slice(0, 16).replace('T', ' ')} UTC</time>`;
}

/**
 * A list of the user's remembered browsers (label, when remembered, last used, expiry), the current
 * one marked, each with a Revoke button, and "Revoke all" below.
 */
export function trustedDevicesView(model: TrustedDevicesViewModel): string {
  const { texts, paths, devices } = model;
  const heading = raw(`h${model.headingLevel}`);
  const base = `${paths.management}/devices`;
  const items = devices.map(
    (device) => html`<li class="sf-device${device.current ? ' sf-device-current' : ''}">
<p class="sf-device-label"><strong>${device.label}</strong>${device.current ? html` <span class="sf-device-current-mark">(${texts.trustedDeviceCurrent})</span>` : ''}</p>
<dl class="sf-device-details">
<dt>${texts.trustedDeviceCreated}</dt><dd>${when(device.createdAt)}</dd>
<dt>${texts.trustedDeviceLastUsed}</dt><dd>${device.lastUsedAt ? when(device.lastUsedAt) : texts.trustedDeviceNeverUsed}</dd>
<dt>${texts.trustedDeviceExpires}</dt><dd>${when(device.expiresAt)}</dd>
</dl>
${postForm(
  model,
  `${base}/${encodeURIComponent(device.id)}/revoke`,
  html`<button type="submit" aria-label="${texts.trustedDeviceRevokeButton}: ${device.label}">${texts.trustedDeviceRevokeButton}</button>`,
)}
</li>`,
  );
  return html`<section class="sf-devices" aria-labelledby="sf-devices-title">
<${heading} id="sf-devices-title">${texts.trustedDevicesTitle}</${heading}>
<div class="sf-notice" role="status" aria-live="polite">${model.notice ? html`<p>${model.notice}</p>` : ''}</div>
<p>${texts.trustedDevicesIntro}</p>
${
  devices.length === 0
    ? html`<p class="sf-status">${texts.trustedDevicesEmpty}</p>`
    : html`<ul class="sf-device-list">${items}</ul>
${postForm(model, `${base}/revoke-all`, html`<button type="submit">${texts.trustedDevicesRevokeAllButton}</button>`)}`
}
</section>`.toString();
}
