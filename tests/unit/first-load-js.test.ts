/**
 * What keeps the first-load JavaScript of `/` small (issue 10) and must not silently undo itself:
 * the browser build of @remix-run/react leaves single fetch out (app/patches), which is only right
 * while remix.config.js keeps `future.v3_singleFetch` off; and Remix's stand-ins for `.server`
 * modules are side-effect free, so a route's loader-only imports ship no empty chunks.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import config from '../../remix.config.js';

const require = createRequire(import.meta.url);
const read = (p: string) => fs.readFileSync(require.resolve(p), 'utf8');

describe('first-load JavaScript', () => {
  it('single fetch is off while the patched @remix-run/react leaves it out of the browser build', () => {
    const browser = read('@remix-run/react/dist/esm/browser.js');
    expect(browser).not.toContain("from './single-fetch.js'");
    // Turning single fetch on needs app/patches/@remix-run+react*.patch's browser part dropped first.
    expect(config.future?.v3_singleFetch).toBe(false);
  });

  it("Remix's empty .server stand-ins are side-effect free", () => {
    const plugin = fs.readFileSync(
      path.join(path.dirname(require.resolve('@remix-run/dev/package.json')), 'dist/compiler/plugins/emptyModules.js'),
      'utf8',
    );
    expect(plugin).toContain('sideEffects: false');
  });
});
