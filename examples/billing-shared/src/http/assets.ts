/** The stylesheet and icon in `public/`: local files, no CDN (the sites must work offline). */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The folder both sites serve `/assets/<file>` from.
 */
export const PUBLIC_DIR = resolve(__dirname, '..', '..', 'public');

/** One file to serve. */
export interface Asset {
  type: string;
  content: Buffer;
}

const ASSET_TYPES: Record<string, string> = {
  'styles.css': 'text/css; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
};

/**
 * `Cache-Control` of the assets: an hour, they change only with a release.
 */
export const ASSET_CACHE_CONTROL = 'public, max-age=3600';

/**
 * Reads the assets once, at start-up, by file name; unknown names are simply missing (a 404).
 */
export function loadAssets(publicDir: string = PUBLIC_DIR): ReadonlyMap<string, Asset> {
  return new Map(
    Object.entries(ASSET_TYPES).map(([name, type]) => [name, { type, content: readFileSync(join(publicDir, name)) }]),
  );
}
