/**
 * Builds public/sw.js after `remix build` (`npm run build` runs it): esbuild bundles
 * app/sw/service-worker.ts with the Workbox modules it imports, then workbox-build's injectManifest
 * writes the list of the build's fingerprinted files (with revisions) into it.
 */
import fs from 'node:fs';
import path from 'node:path';

import { build } from 'esbuild';
import { injectManifest } from 'workbox-build';

const root = path.resolve(import.meta.dirname, '../..');
// Per process: test files run two at a time and may each regenerate the worker (tests/browser/setup/global.ts).
const tmp = path.join(root, '.cache', `sw-src-${process.pid}.js`);
const dest = path.join(root, 'public/sw.js');
const tmpDest = path.join(root, 'public', `.sw-${process.pid}.js`);

await build({
  entryPoints: [path.join(root, 'app/sw/service-worker.ts')],
  bundle: true,
  format: 'iife',
  target: 'es2020',
  minify: true,
  outfile: tmp,
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
});

const { count, size, warnings } = await injectManifest({
  swSrc: tmp,
  swDest: tmpDest,
  globDirectory: path.join(root, 'public'),
  globPatterns: ['build/**/*.{js,css}', 'favicon.svg', 'icons/*.png', 'manifest.webmanifest'],
  // The video players (hls.js, Mux) are large and useless offline: cached only when used.
  globIgnores: ['build/_shared/hls-*.js', 'build/_shared/mux-*.js'],
  maximumFileSizeToCacheInBytes: 2 * 1024 * 1024,
  // Remix fingerprints file names under /build: no revision needed for them.
  dontCacheBustURLsMatching: /^build\//,
  modifyURLPrefix: { '': '/' },
});
for (const w of warnings) console.warn(`[sw] ${w}`);
fs.rmSync(tmp, { force: true });
fs.renameSync(tmpDest, dest); // whole, at once: a server or another build never reads half a file
console.log(`[sw] public/sw.js: ${count} files precached (${Math.round(size / 1024)} KB)`);
