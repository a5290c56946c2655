/**
 * What keeps the first-load JavaScript of `/` small (issue 10) and must not silently undo itself:
 * the browser build of @remix-run/react leaves single fetch out (app/patches), which is only right
 * while remix.config.js keeps `future.v3_singleFetch` off; and Remix's stand-ins for `.server`
 * modules are side-effect free, so a route's loader-only imports ship no empty chunks. And the
 * translator that replaced rosetta (app/i18n/i18n.tsx) looks up and fills messages as it did.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { createT } from '~/i18n/i18n';

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

  it('the browser builds of Remix and React Router keep dev-only code, defer() and the default root boundaries out (app/patches)', () => {
    const routes = read('@remix-run/react/dist/esm/routes.js');
    expect(routes).toContain('route.id === "root" && process.env.NODE_ENV !== "production" ? RemixRootDefaultHydrateFallback');
    expect(routes).toContain('defer(): drop app/patches/@remix-run+react');
    expect(read('@remix-run/react/dist/esm/components.js')).not.toContain('__remixContext.p = function');
    expect(read('@remix-run/react/dist/esm/browser.js')).toContain('if (process.env.NODE_ENV !== "production" && import.meta &&');
    expect(read('@remix-run/router/dist/router.js')).not.toMatch(/^\s*warning\(/m);
    expect(read('react-router/dist/index.js')).toMatch(
      /function logV6DeprecationWarnings\([^)]*\) \{\n.*\n\s*if \(process\.env\.NODE_ENV === "production"\) return;/,
    );
    // What those patches rely on: the root has its own ErrorBoundary, and no route uses defer() or
    // clientLoader.hydrate (which would need Remix's default HydrateFallback at the root).
    const root = fs.readFileSync(path.resolve('app/root.tsx'), 'utf8');
    expect(root).toMatch(/export function ErrorBoundary\(/);
    for (const f of fs.readdirSync(path.resolve('app/routes'))) {
      const src = fs.readFileSync(path.resolve('app/routes', f), 'utf8');
      expect(src, f).not.toMatch(/\bdefer\(|clientLoader\.hydrate|\bAwait\b/);
    }
  });

  it('form schemas (and zod) stay out of the browser build: app/forms is side-effect free and routes import zod only through it', () => {
    const pkg = JSON.parse(fs.readFileSync(path.resolve('app/forms/package.json'), 'utf8')) as { sideEffects?: boolean; type?: string };
    expect(pkg).toMatchObject({ sideEffects: false, type: 'module' });
    for (const f of fs.readdirSync(path.resolve('app/routes'))) {
      const src = fs.readFileSync(path.resolve('app/routes', f), 'utf8');
      expect(src, f).not.toMatch(/from 'zod'/);
    }
  });

  it("Remix's empty .server stand-ins are side-effect free", () => {
    const plugin = fs.readFileSync(
      path.join(path.dirname(require.resolve('@remix-run/dev/package.json')), 'dist/compiler/plugins/emptyModules.js'),
      'utf8',
    );
    expect(plugin).toContain('sideEffects: false');
  });
});

describe('createT (the translator in every page)', () => {
  const t = createT('en', {
    common: {
      hi: 'Hello {{name}}, {{ who.role }} {{missing}}!',
      items_one: '{{count}} item',
      items_other: '{{count}} items',
      deep: { a: 'A' },
    },
  }) as unknown as (key: string, params?: Record<string, unknown>) => string;
  it('fills placeholders (dotted too, a missing one empty), picks plural keys and shows an unknown key as itself', () => {
    expect(t('common.hi', { name: 'Lan', who: { role: 'teacher' } })).toBe('Hello Lan, teacher !');
    expect(t('common.items', { count: 1 })).toBe('1 item');
    expect(t('common.items', { count: 0 })).toBe('0 items');
    expect(t('common.deep.a')).toBe('A');
    expect(t('common.deep')).toBe('common.deep');
    expect(t('common.nothing.here')).toBe('common.nothing.here');
  });
});
