/**
 * Lighthouse on the built site (issue 10 §4): the mobile preset (Lighthouse's default: a
 * mid-range phone, simulated slow 4G and 4× CPU slowdown) on the public pages a visitor opens
 * first, served as in production (`npm start`: demo data, page cache, every core). Budgets:
 * performance ≥ 95 and accessibility 100 on every page. Not part of `npm test` (a minute a page):
 *   npm run lighthouse            (LIGHTHOUSE_PAGES=/,/library to choose pages)
 * Writes tests/.tmp/lighthouse.json and prints one table with a met/missed line per budget.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';

import { openDatabase } from '~/db/connection';

import { ensureBuilt, startServer } from '../browser/setup/global';

const ROOT = path.resolve(import.meta.dirname, '../..');
const PERF_BUDGET = 95;
const A11Y_BUDGET = 100;

async function main() {
  ensureBuilt(ROOT);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'llw-lighthouse-'));
  const server = await startServer(
    { SEED_DEMO: '1', DATA_DIR: dataDir, SESSION_SECRET: 'lighthouse-run-session-secret-0123456789abcdef' },
    ROOT,
    300_000,
  );
  try {
    const db = openDatabase(path.join(dataDir, 'app.sqlite'));
    const book = await db.selectFrom('lib_titles').select('slug').orderBy('sort_key').executeTakeFirstOrThrow();
    const resource = await db
      .selectFrom('resources')
      .select('id')
      .where('status', '=', 'published')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    await db.destroy();
    const all = ['/', '/weeks/2024', '/library', `/library/${book.slug}`, '/resources', `/resources/${resource.id}`, '/courses'];
    const pages = process.env.LIGHTHOUSE_PAGES ? process.env.LIGHTHOUSE_PAGES.split(',') : all;

    const chrome = await chromeLauncher.launch({
      chromePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
      chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    });
    type Row = { page: string; performance: number; accessibility: number; lcpMs: number; tbtMs: number; failing: string[]; runs?: string };
    const rows: Row[] = [];
    // LIGHTHOUSE_RUNS=n: each page n times, the median run (by performance, then LCP) reported.
    const runs = Math.max(1, Number(process.env.LIGHTHOUSE_RUNS ?? 1));
    try {
      for (const p of pages) {
        const url = `${server.baseUrl}${p}`;
        await fetch(url); // the first visitor fills the page cache; Lighthouse measures the next one
        const tries: Row[] = [];
        for (let run = 0; run < runs; run++) {
          const r = await lighthouse(url, {
            port: chrome.port,
            output: 'json',
            logLevel: 'error',
            onlyCategories: ['performance', 'accessibility'],
          });
          if (!r) throw new Error(`no Lighthouse result for ${p}`);
          const lhr = r.lhr;
          const failing = Object.values(lhr.audits)
            .filter(
              (a) => a.scoreDisplayMode === 'binary' && a.score === 0 && lhr.categories.accessibility?.auditRefs.some((x) => x.id === a.id),
            )
            .map((a) => a.id);
          if (process.env.LIGHTHOUSE_KEEP) {
            fs.mkdirSync(path.join(ROOT, 'tests/.tmp'), { recursive: true });
            fs.writeFileSync(path.join(ROOT, `tests/.tmp/lighthouse-${p.replace(/\W+/g, '_')}.json`), JSON.stringify(lhr));
          }
          // First paint vs largest: equal means the LCP element is painted in the first frame, so only
          // what blocks rendering (HTML, CSS, head scripts) decides it. (The LCP-element audit errors
          // with Debian's Chromium here: "frame_sequence".)
          const fcpMs = Math.round(Number(lhr.audits['first-contentful-paint']?.numericValue ?? 0));
          const lcpEl = lhr.audits['largest-contentful-paint-element'];
          const lcpItems = (lcpEl?.details as { items?: Array<{ items?: Array<{ node?: { snippet?: string } }> }> } | undefined)?.items;
          const lcpNode = lcpItems?.[0]?.items?.[0]?.node?.snippet ?? `unknown (${lcpEl?.errorMessage?.slice(0, 60) ?? 'no details'})`;
          console.log(
            `[lighthouse] ${p}: FCP ${fcpMs} ms, LCP ${Math.round(Number(lhr.audits['largest-contentful-paint']?.numericValue ?? 0))} ms, LCP element ${lcpNode.slice(0, 120)}${lhr.runtimeError ? `; runtime error ${lhr.runtimeError.code}` : ''}`,
          );
          tries.push({
            page: p,
            performance: Math.round((lhr.categories.performance?.score ?? 0) * 100),
            accessibility: Math.round((lhr.categories.accessibility?.score ?? 0) * 100),
            lcpMs: Math.round(Number(lhr.audits['largest-contentful-paint']?.numericValue ?? 0)),
            tbtMs: Math.round(Number(lhr.audits['total-blocking-time']?.numericValue ?? 0)),
            failing,
          });
          console.log(`[lighthouse] ${p}: performance ${tries.at(-1)!.performance}, accessibility ${tries.at(-1)!.accessibility}`);
        }
        // A run that failed (Lighthouse's runtime error under load: score 0, no paint) is left out of the median.
        const ok = tries.filter((t) => t.lcpMs > 0);
        const sorted = [...(ok.length ? ok : tries)].sort((a, b) => a.performance - b.performance || b.lcpMs - a.lcpMs);
        rows.push({ ...sorted[Math.floor((sorted.length - 1) / 2)]!, runs: tries.map((t) => `${t.performance}/${t.lcpMs}`).join(' ') });
      }
    } finally {
      chrome.kill();
    }

    console.log(
      `\n| page | performance | accessibility | LCP ms | TBT ms | failing a11y audits | runs (performance/LCP) |\n|---|---|---|---|---|---|---|`,
    );
    for (const r of rows)
      console.log(
        `| ${r.page} | ${r.performance} | ${r.accessibility} | ${r.lcpMs} | ${r.tbtMs} | ${r.failing.join(', ') || '—'} | ${r.runs} |`,
      );
    const perfMet = rows.every((r) => r.performance >= PERF_BUDGET);
    const a11yMet = rows.every((r) => r.accessibility >= A11Y_BUDGET);
    console.log(`\nbudget performance ≥ ${PERF_BUDGET} on every page: ${perfMet ? 'met' : 'MISSED'}`);
    console.log(`budget accessibility = ${A11Y_BUDGET} on every page: ${a11yMet ? 'met' : 'MISSED'}`);
    console.log(
      `load average during the run: ${os
        .loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')} (${os.cpus().length} cores)`,
    );
    fs.mkdirSync(path.join(ROOT, 'tests/.tmp'), { recursive: true });
    fs.writeFileSync(path.join(ROOT, 'tests/.tmp/lighthouse.json'), JSON.stringify({ at: new Date().toISOString(), rows }, null, 2));
  } finally {
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
