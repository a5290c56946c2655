/**
 * Runs before every integration test file (a `setupFiles` entry: Vitest evaluates it afresh for each
 * file, also without isolation). The integration project runs its files in shared workers
 * (`isolate: false`), so node_modules are imported once per worker instead of once per file; this
 * gives each file what a fresh process gave it:
 *  - the environment variables as the worker started with them (a file that set DATA_DIR,
 *    PUBLIC_URL, PAGE_SHELL… and did not put them back cannot leak them into the next file),
 *    and the env module's cache dropped, so `getEnv()` reads them again;
 *  - fresh app modules (`vi.resetModules()`): module-level caches and singletons (storage root,
 *    page caches, ffmpeg check, rate limiters, mailer…) start empty, as each file expects.
 *    Packages outside the app (React, Remix, the AWS SDK, better-sqlite3…) are loaded by Node
 *    itself and stay loaded: that is the import time the project saves;
 *  - real timers, whatever the file before did with fake ones.
 */
import { vi } from 'vitest';

const KEY = Symbol.for('llw.integration.startEnv');
const store = globalThis as typeof globalThis & { [KEY]?: Record<string, string | undefined> };

/** The worker's environment before its first file ran (later files get it back). */
const startEnv = (store[KEY] ??= { ...process.env });
/** Vitest's own (VITEST_WORKER_ID… are set per file) are left as they are. */
const ours = (k: string) => !k.startsWith('VITEST');
for (const k of Object.keys(process.env)) if (ours(k) && !(k in startEnv)) delete process.env[k];
for (const [k, v] of Object.entries(startEnv)) if (ours(k) && process.env[k] !== v) process.env[k] = v;

/**
 * The app's per-process state kept on globalThis (shared by the build's copy of a module and the
 * source's): the page cache (its sync stopped), the shared renders, the cached data, the shell
 * identities and the app's database handle, dropped as a new process starts without them. The
 * Prometheus registry (a package's, so it stays) has its values zeroed.
 */
type PageCacheState = { poller: NodeJS.Timeout | null; listener: { end(): Promise<void> } | null };
const g = globalThis as typeof globalThis & Record<string, unknown>;
const pageCache = g.__llwPageCache as PageCacheState | undefined;
if (pageCache?.poller) clearInterval(pageCache.poller);
if (pageCache?.listener) await pageCache.listener.end().catch(() => undefined);
for (const k of ['__llwPageCache', '__llwDataCache', '__llwPageShell', '__llwShellIdentities', '__appDb']) delete g[k];
if (g.__llwMetrics) (await import('prom-client')).register.resetMetrics();

vi.useRealTimers();
vi.resetModules();
