import path from 'node:path';
import { buildBrowserBundle, type BrowserBundle } from '../../server/browser-bundle.js';

/** The bundled widget script and its ETag. */
export type WidgetBundle = BrowserBundle;

/**
 * Builds `widget/main.ts` into one browser script with esbuild, in memory, once per process
 * (about 100 ms) — so a fresh clone serves the widget with no build step. When esbuild is not
 * installed (a production install without devDependencies) pass `prebuiltPath` to a file made
 * at package build time.
 *
 * @example
 * const { code, etag } = await buildWidgetBundle();
 */
export async function buildWidgetBundle(opts: { prebuiltPath?: string } = {}): Promise<WidgetBundle> {
  return buildBrowserBundle({ dir: path.join(__dirname, 'widget'), what: 'widget', pathOption: 'widgetBundlePath', ...opts });
}
