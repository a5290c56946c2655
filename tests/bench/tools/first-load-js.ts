/**
 * `node --import tsx tests/bench/tools/first-load-js.ts [path]` (after `npx remix build`): the
 * first-load JavaScript of a page (default `/`) measured as `npm run bench` does — every script
 * and modulepreload the served HTML names, gzip level 9, translation scripts counted apart —
 * then, per file, which source modules fill it (raw minified bytes from the build's esbuild
 * metafile, `build/metafile.js.json`) so that what a page ships beyond the framework is visible.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';

import { startServer } from '../../browser/setup/global';

const ROOT = path.resolve(import.meta.dirname, '../../..');

interface Meta {
  outputs: Record<string, { bytes: number; inputs: Record<string, { bytesInOutput: number }> }>;
}

const page = process.argv[2] ?? '/';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'first-load-js-'));
const server = await startServer(
  {
    APP_ENV: 'production',
    SEED_DEMO: '0',
    WEB_CONCURRENCY: '1',
    DATA_DIR: dir,
    DATABASE_URL: path.join(dir, 'app.sqlite'),
    SESSION_SECRET: 'first-load-js-session-secret-0123456789abcdef',
  },
  ROOT,
);
try {
  const html = await (await fetch(`${server.baseUrl}${page}`)).text();
  const urls = new Set<string>();
  for (const m of html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)) urls.add(m[1]!);
  for (const m of html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)) urls.add(m[1]!);
  for (const m of html.matchAll(/<link[^>]*href="([^"]+)"[^>]*rel="modulepreload"/g)) urls.add(m[1]!);
  for (const m of html.matchAll(/import\s*(?:[^"']*from\s*)?["'](\/build\/[^"']+\.js)["']/g)) urls.add(m[1]!);
  const meta = JSON.parse(fs.readFileSync(path.join(ROOT, 'build/metafile.js.json'), 'utf8')) as Meta;
  let gzip = 0;
  let raw = 0;
  let i18n = 0;
  const byModule = new Map<string, number>();
  const rows: string[] = [];
  for (const u of urls) {
    const body = Buffer.from(await (await fetch(new URL(u, server.baseUrl))).arrayBuffer());
    const gz = zlib.gzipSync(body, { level: 9 }).length;
    if (u.startsWith('/i18n/')) {
      i18n += gz;
      continue;
    }
    raw += body.length;
    gzip += gz;
    const out = meta.outputs[`public${u}`];
    const top = Object.entries(out?.inputs ?? {})
      .sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput)
      .slice(0, 4)
      .map(([k, v]) => `${k.replace(/^node_modules\//, '')} ${(v.bytesInOutput / 1024).toFixed(1)}`)
      .join(', ');
    rows.push(`${(gz / 1024).toFixed(1).padStart(6)} KB gz ${(body.length / 1024).toFixed(1).padStart(6)} KB  ${u}  [${top}]`);
    for (const [k, v] of Object.entries(out?.inputs ?? {})) byModule.set(k, (byModule.get(k) ?? 0) + v.bytesInOutput);
  }
  console.log(rows.sort().reverse().join('\n'));
  const pkg = new Map<string, number>();
  for (const [k, v] of byModule) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(k);
    const key = m ? m[1]! : k.startsWith('app/') ? k : k;
    pkg.set(key, (pkg.get(key) ?? 0) + v);
  }
  console.log('\nraw minified bytes by package / app module (top 40):');
  for (const [k, v] of [...pkg].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(`${(v / 1024).toFixed(1).padStart(7)} KB  ${k}`);
  console.log(
    `\nFirst-load JS of ${page}: ${(gzip / 1024).toFixed(1)} KB gzip (${(raw / 1024).toFixed(1)} KB raw) in ${urls.size} files; translations ${(i18n / 1024).toFixed(1)} KB gzip apart`,
  );
} finally {
  await server.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
