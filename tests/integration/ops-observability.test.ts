/**
 * Observability of the built server (issue 17): JSON log lines with the request id on every line
 * of a request and the user id once signed in, status and duration; no password, session cookie
 * or reset token in any line; Prometheus /metrics only with METRICS_TOKEN, gathered over two
 * workers; /readyz (database reachable, migrations applied).
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openDatabase } from '~/db/connection';
import { readiness } from '~/lib/observability/ready.server';

import { ensureBuilt } from '../browser/setup/global';
import { type AppProcess, cookieFrom, postForm, ROOT, startApp, waitUntil } from '../helpers/app-process';

const TOKEN = 'metrics-token-for-tests-7c1f0d';
const PASSWORD = 'Mật-khẩu-bí-mật-rất-dài-42';
const RESET_TOKEN = 'resettokenneverlogged9a8b7c6d5e';

/** A GET on a new connection (no keep-alive), as a new visitor makes. */
const freshGet = (url: string) =>
  new Promise<number>((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      })
      .on('error', reject);
  });

let app: AppProcess;
let dataDir: string;

beforeAll(async () => {
  ensureBuilt(ROOT);
  dataDir = path.join(ROOT, 'tests/.tmp', `ops-obs-${process.pid}-${Date.now()}`);
  fs.mkdirSync(dataDir, { recursive: true });
  app = await startApp(
    {
      WEB_CONCURRENCY: '2',
      SEED_DEMO: '0',
      SESSION_SECRET: 'observability-tests-session-secret-0123456789',
      DATA_DIR: dataDir,
      DATABASE_URL: path.join(dataDir, 'app.sqlite'),
      METRICS_TOKEN: TOKEN,
      LOG_LEVEL: 'info',
    },
    { timeoutMs: 150_000 },
  );
  // Both workers serving (the first answers /healthz before the second has started).
  await waitUntil(() => (app.stdout().match(/\(pid \d+\)/g) ?? []).length >= 2, 60_000, 'two workers');
}, 240_000);

afterAll(async () => {
  await app?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('observability of the built server', () => {
  let userId: string;
  let session: string;

  it('signs a person up and in; the request lines carry request id, user id, status and duration', async () => {
    const email = `log.${Date.now()}@example.test`;
    const signup = await postForm(app.baseUrl, '/signup', {
      displayName: 'Người ghi nhật ký',
      email,
      password: PASSWORD,
      confirmPassword: PASSWORD,
      birthYear: '1990',
      homeUnitId: '',
      locale: 'vi',
    });
    expect(signup.status).toBe(302);
    const login = await postForm(app.baseUrl, '/login', { email, password: PASSWORD, redirectTo: '/account' });
    expect(login.status).toBe(302);
    session = cookieFrom(login, 'llw_session')!;
    expect(session).toBeTruthy();
    const db = openDatabase(path.join(dataDir, 'app.sqlite'));
    userId = (await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
    await db.destroy();

    const account = await fetch(`${app.baseUrl}/account`, { headers: { Cookie: session, 'X-Request-Id': 'req-from-nginx-0001' } });
    expect(account.status).toBe(200);
    expect(account.headers.get('x-request-id')).toBe('req-from-nginx-0001');
    await fetch(`${app.baseUrl}/reset-password?token=${RESET_TOKEN}`);

    await waitUntil(() => app.stdout().includes('req-from-nginx-0001'), 5_000, 'the /account line');
    const lines = app.logLines(); // throws if any stdout line is not JSON
    const accountLine = lines.find((l) => l.msg === 'request' && l.reqId === 'req-from-nginx-0001');
    expect(accountLine).toMatchObject({ method: 'GET', path: '/account', route: 'routes/account', status: 200, userId });
    expect(typeof accountLine!.durationMs).toBe('number');
    const requests = lines.filter((l) => l.msg === 'request');
    expect(requests.length).toBeGreaterThanOrEqual(4);
    for (const l of requests) {
      expect(l.reqId).toMatch(/^[A-Za-z0-9._:-]{8,}$/);
      expect(typeof l.status).toBe('number');
      expect(typeof l.durationMs).toBe('number');
      expect(typeof l.time).toBe('string');
    }
    // Anonymous requests carry no user id; the sign-up is a 302.
    expect(requests.find((l) => l.path === '/signup' && l.method === 'POST')).toMatchObject({ status: 302, route: 'routes/signup' });
    expect(requests.find((l) => l.path === '/signup' && l.method === 'POST')!.userId).toBeUndefined();
  });

  it('writes no password, session cookie, or reset token in any line', async () => {
    await waitUntil(() => app.stdout().includes('/reset-password'), 5_000, 'the reset-password line'); // logged as the response ends
    const all = app.output();
    expect(all).not.toContain(PASSWORD);
    expect(all).not.toContain(encodeURIComponent(PASSWORD));
    expect(all).not.toContain(session.split('=')[1]!);
    expect(all).not.toContain('llw_session');
    expect(all).not.toContain(RESET_TOKEN);
    expect(all).toContain('/reset-password?token=[redacted]');
  });

  it('a page that does not exist is logged with its request id and 404', async () => {
    const res = await fetch(`${app.baseUrl}/this-page-does-not-exist`, { headers: { 'X-Request-Id': 'req-missing-page-02' } });
    expect(res.status).toBe(404);
    await waitUntil(() => app.stdout().includes('req-missing-page-02'), 5_000, 'the 404 line');
    const lines = app.logLines().filter((l) => l.reqId === 'req-missing-page-02');
    expect(lines.at(-1)).toMatchObject({ msg: 'request', status: 404, path: '/this-page-does-not-exist' });
  });

  it('/metrics answers only with the token, with per-route counts and latency, cache, database, job and mail figures', async () => {
    expect((await fetch(`${app.baseUrl}/metrics`)).status).toBe(401);
    expect((await fetch(`${app.baseUrl}/metrics`, { headers: { Authorization: 'Bearer wrong' } })).status).toBe(401);
    // An anonymous public page twice: a miss, then a hit on one of the workers.
    await fetch(`${app.baseUrl}/weeks`);
    await waitUntil(async () => (await fetch(`${app.baseUrl}/weeks`)).headers.get('x-page-cache') === 'hit', 10_000, 'a cache hit');
    // New connections are dealt round-robin to the two workers.
    for (let i = 0; i < 6; i++) await freshGet(`${app.baseUrl}/healthz`);
    await waitUntil(
      () =>
        new Set(
          app
            .logLines()
            .filter((l) => l.msg === 'request')
            .map((l) => l.pid),
        ).size === 2,
      5_000,
      'both workers served',
    );
    const res = await fetch(`${app.baseUrl}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/llw_http_requests_total\{method="GET",route="routes\/account",status="200"\} 1/);
    expect(text).toMatch(/llw_http_request_duration_seconds_bucket\{le="\+Inf",method="POST",route="routes\/signup"\} 1/);
    expect(text).toMatch(/llw_page_cache_requests_total\{result="hit"\} [1-9]/);
    expect(text).toMatch(/llw_page_cache_requests_total\{result="miss"\} [1-9]/);
    expect(text).toMatch(/llw_db_query_duration_seconds_count\{kind="select"\} [1-9]/);
    expect(text).toMatch(/llw_job_runs_total\{job="sessions:expire",outcome="ok"\} 1/);
    expect(text).toMatch(/llw_mail_queue_depth\{state="pending"\} \d+/);
    // Gathered from both workers: the counts add up to every request line the two workers logged.
    const counted = [...text.matchAll(/^llw_http_requests_total\{[^}]*\} (\d+)$/gm)].reduce((n, m) => n + Number(m[1]), 0);
    const logged = app.logLines().filter((l) => l.msg === 'request').length;
    expect(counted).toBeGreaterThanOrEqual(logged - 1); // the scrape itself is logged after it answers
  });

  it('a cached page answered before Express carries the security headers, its request id, encodings, 304 and a log line', async () => {
    // Each worker keeps its own cache, and new connections alternate between them: two hits in a row.
    const freshCache = () =>
      new Promise<string>((resolve, reject) => {
        http
          .get(`${app.baseUrl}/weeks`, { agent: false }, (res) => {
            res.resume();
            res.on('end', () => resolve(String(res.headers['x-page-cache'])));
          })
          .on('error', reject);
      });
    await waitUntil(async () => (await freshCache()) === 'hit' && (await freshCache()) === 'hit', 10_000, 'hits on both workers');
    const hits: Array<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> = [];
    for (let i = 0; i < 4; i++)
      hits.push(
        await new Promise((resolve, reject) => {
          http
            .get(
              `${app.baseUrl}/weeks`,
              { agent: false, headers: { 'X-Request-Id': `req-cached-hit-0${i}`, 'Accept-Encoding': 'gzip' } },
              (res) => {
                const chunks: Buffer[] = [];
                res.on('data', (c: Buffer) => chunks.push(c));
                res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
              },
            )
            .on('error', reject);
        }),
      );
    for (const [i, h] of hits.entries()) {
      expect(h.status).toBe(200);
      expect(h.headers['x-page-cache']).toBe('hit');
      expect(h.headers['x-request-id']).toBe(`req-cached-hit-0${i}`);
      expect(h.headers['content-security-policy']).toMatch(/default-src 'self'/);
      expect(h.headers['x-content-type-options']).toBe('nosniff');
      expect(h.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(h.headers['content-encoding']).toBe('gzip');
      expect(Number(h.headers['content-length'])).toBe(h.body.length);
      expect(zlib.gunzipSync(h.body).toString()).toContain('</html>');
    }
    const plain = await fetch(`${app.baseUrl}/weeks`, { headers: { 'Accept-Encoding': 'identity' } });
    const html = await plain.text();
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(html).toBe(zlib.gunzipSync(hits[0]!.body).toString());
    const head = await fetch(`${app.baseUrl}/weeks`, { method: 'HEAD', headers: { 'Accept-Encoding': 'identity' } });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBe(Buffer.byteLength(html));
    const again = await fetch(`${app.baseUrl}/weeks`, { headers: { 'If-None-Match': plain.headers.get('etag')! } });
    expect(again.status).toBe(304);
    await waitUntil(() => app.stdout().includes('req-cached-hit-03'), 5_000, 'the last hit line');
    const lines = app.logLines().filter((l) => typeof l.reqId === 'string' && (l.reqId as string).startsWith('req-cached-hit-'));
    expect(lines).toHaveLength(4);
    for (const l of lines)
      expect(l).toMatchObject({ msg: 'request', method: 'GET', path: '/weeks', status: 200, route: 'page-cache', pageCache: 'hit' });
  });

  it('/readyz says ready when the database answers and every migration is applied', async () => {
    const res = await fetch(`${app.baseUrl}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ready: true, database: 'ok', pendingMigrations: [] });
    expect((await fetch(`${app.baseUrl}/healthz`)).status).toBe(200);
  });
});

describe('readiness of a database the build has not migrated', () => {
  it('is not ready and names the migrations still to apply', async () => {
    const file = path.join(ROOT, 'tests/.tmp', `ops-unmigrated-${process.pid}-${Date.now()}.sqlite`);
    const db = openDatabase(file);
    try {
      const r = await readiness(db);
      expect(r.ready).toBe(false);
      expect(r.database).toBe('ok');
      expect(r.pendingMigrations.length).toBeGreaterThan(10);
    } finally {
      await db.destroy();
      for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
    }
  });
});
