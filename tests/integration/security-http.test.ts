/**
 * Security review findings (issue #9) over HTTP against the built server (server.ts on
 * build/), started here in production mode with its own data directory. Each `describe` is
 * named for the finding it pins; the host-header, redirect and malformed-input cases are tables.
 */
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DEMO_PASSWORD } from '~/db/seed/accounts';

import { ensureBuilt, type StartedServer, startServer } from '../browser/setup/global';

const ROOT = path.resolve(import.meta.dirname, '../..');
const PUBLIC_URL = 'https://hoctap.example.vn';
const BAD_REQUEST_VI = 'Yêu cầu không hợp lệ';

function tmpDir(name: string): string {
  const dir = path.join(ROOT, 'tests/.tmp', `sec-${name}-${process.pid}-${Date.now()}`);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

function prodEnv(dataDir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'production',
    SEED_DEMO: '1',
    DATA_DIR: dataDir,
    DATABASE_URL: path.join(dataDir, 'app.sqlite'),
    SESSION_SECRET: 'security-tests-session-secret-0123456789abcdef',
    PUBLIC_URL,
    ...extra,
  };
}

/** A raw HTTP/1.1 exchange: for headers fetch() would not send (Host, absolute-form targets…). */
function raw(base: string, text: string): Promise<{ status: number; head: string; body: string }> {
  const { port } = new URL(base);
  return new Promise((resolve, reject) => {
    const sock = net.connect(Number(port), '127.0.0.1', () => sock.write(text));
    let data = '';
    sock.on('data', (b) => (data += b.toString('utf8')));
    sock.on('error', reject);
    sock.on('close', () => {
      const [head = '', ...rest] = data.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1]), head, body: rest.join('\r\n\r\n') });
    });
    sock.setTimeout(15_000, () => sock.destroy());
  });
}

function form(values: Record<string, string>): string {
  return new URLSearchParams(values).toString();
}

async function post(base: string, p: string, body: string, headers: Record<string, string> = {}) {
  return fetch(base + p, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: base, ...headers },
    body,
  });
}

function outboxTo(dataDir: string, to: string): string[] {
  const db = new Database(path.join(dataDir, 'app.sqlite'), { readonly: true });
  try {
    return (
      db.prepare('SELECT body_text FROM outbox WHERE to_address = ? ORDER BY created_at').all(to) as Array<{ body_text: string }>
    ).map((r) => r.body_text);
  } finally {
    db.close();
  }
}

describe('security review (issue #9) over HTTP', () => {
  let server: StartedServer;
  let dataDir: string;
  let base: string;
  let cookie: string;
  beforeAll(async () => {
    ensureBuilt();
    dataDir = tmpDir('prod');
    // Booting with the demo seed takes long on a loaded machine.
    server = await startServer(prodEnv(dataDir), ROOT, 280_000);
    base = server.baseUrl;
    const res = await post(base, '/login', form({ email: 'nguoidan@demo.hoctap.vn', password: DEMO_PASSWORD, redirectTo: '/' }));
    expect(res.status).toBe(302);
    cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  }, 300_000);
  afterAll(async () => {
    await server?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  describe('finding 1: absolute URLs come from the configured origin, never the Host header', () => {
    const cases: Array<{ name: string; email: string; headers: string }> = [
      { name: 'Host', email: 'ongba@demo.hoctap.vn', headers: 'Host: attacker.invalid\r\n' },
      { name: 'Host with a port', email: 'hocsinh@demo.hoctap.vn', headers: 'Host: attacker.invalid:8443\r\n' },
      {
        name: 'X-Forwarded-Host',
        email: 'giaovien@demo.hoctap.vn',
        headers: 'Host: 127.0.0.1\r\nX-Forwarded-Host: attacker.invalid\r\nX-Forwarded-Proto: http\r\n',
      },
    ];
    for (const c of cases) {
      it(`a forged ${c.name} does not reach the reset mail`, async () => {
        const body = form({ email: c.email });
        const r = await raw(
          base,
          `POST /forgot-password HTTP/1.1\r\n${c.headers}Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
        );
        expect(r.status).toBe(200);
        // Only the reset mail: demo people may also have notices queued (a contest badge, a club).
        const mails = outboxTo(dataDir, c.email).filter((m) => m.includes('reset-password'));
        expect(mails).toHaveLength(1);
        expect(mails[0]).toContain(`${PUBLIC_URL}/reset-password?token=`);
        expect(mails[0]).not.toContain('attacker.invalid');
      });
    }

    it('the certificate QR code and OPDS links use the configured origin too', async () => {
      const r = await raw(base, `GET /opds HTTP/1.1\r\nHost: attacker.invalid\r\nConnection: close\r\n\r\n`);
      expect(r.status).toBe(200);
      expect(r.body).toContain(PUBLIC_URL);
      expect(r.body).not.toContain('attacker.invalid');
    });

    it('production refuses to start without PUBLIC_URL', async () => {
      const dir = tmpDir('nopublic');
      try {
        await expect(startServer(prodEnv(dir, { PUBLIC_URL: '' }), ROOT, 120_000)).rejects.toThrow(/PUBLIC_URL/);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('finding 3: request bodies are limited before they are read', () => {
    it('a form post declaring 100 MB is refused with 413 and a translated page before it is sent', async () => {
      const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request(`${base}/login`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': String(100 * 1024 * 1024) },
        });
        req.on('response', (r) => {
          let body = '';
          r.on('data', (b) => (body += b));
          r.on('end', () => resolve({ status: r.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.write(Buffer.alloc(64 * 1024, 'a'));
      });
      expect(res.status).toBe(413);
      expect(res.body).toContain('Nội dung gửi lên quá lớn');
    });

    it('a 65 KB form is refused (413); a chunked form body without a length is refused too', async () => {
      const big = await post(base, '/login', `email=${'a'.repeat(65 * 1024)}`, { 'Accept-Language': 'en' });
      expect(big.status).toBe(413);
      expect(await big.text()).toContain('What you sent is too large');
      const chunked = await raw(
        base,
        'POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nemail\r\n0\r\n\r\n',
      );
      expect(chunked.status).toBe(413);
    });
  });

  describe('finding 4: redirects after sign-in stay on this site', () => {
    const bypasses = [
      '/\t/evil.example',
      '%2F%09%2Fevil.example',
      '/\n/evil.example',
      '/\r/evil.example',
      '//evil.example',
      '/\\evil.example',
      '\\\\evil.example',
      '/\\/evil.example',
      'https://evil.example',
      'https:evil.example',
      '/%09/evil.example',
      ' //evil.example',
      '/ /evil.example',
      'javascript:alert(1)',
      '/%2F%2Fevil.example',
      '/@evil.example',
      '\u3002evil.example',
      '/\u0000/evil.example',
    ];
    for (const to of bypasses) {
      it(`redirectTo=${JSON.stringify(to)} does not leave the site`, async () => {
        const q = to.startsWith('%') ? to : encodeURIComponent(to);
        const res = await fetch(`${base}/login?redirectTo=${q}`, { redirect: 'manual', headers: { Cookie: cookie } });
        expect(res.status).toBe(302);
        const location = res.headers.get('location')!;
        expect(new URL(location, 'http://site.invalid').origin).toBe('http://site.invalid');
        expect(location.startsWith('/') && !location.startsWith('//') && !location.startsWith('/\\')).toBe(true);
      });
    }
    it('a local path with Vietnamese letters is kept, percent-encoded', async () => {
      const res = await fetch(`${base}/login?redirectTo=${encodeURIComponent('/tìm-kiếm?q=học')}`, {
        redirect: 'manual',
        headers: { Cookie: cookie },
      });
      expect(res.headers.get('location')).toBe('/t%C3%ACm-ki%E1%BA%BFm?q=h%E1%BB%8Dc');
    });
  });

  describe('finding 9: security headers, no stack traces, malformed input is a 400', () => {
    it('pages carry a nonce CSP that matches their inline scripts, HSTS, Permissions-Policy and COOP', async () => {
      const res = await fetch(`${base}/`);
      const csp = res.headers.get('content-security-policy')!;
      const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
      expect(nonce).toBeTruthy();
      expect(csp).toContain("object-src 'none'");
      const html = await res.text();
      const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]!);
      expect(scripts.length).toBeGreaterThan(0);
      for (const attrs of scripts) if (!/type="application\/ld\+json"/.test(attrs)) expect(attrs).toContain(`nonce="${nonce}"`);
      expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
      expect(res.headers.get('permissions-policy')).toContain('camera=()');
      expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      // A new nonce for every rendered page. (An anonymous page answered from the page cache keeps
      // the nonce of the render it was cached from, paired with those very bytes; see README, Security.)
      const first = (await fetch(`${base}/login`)).headers.get('content-security-policy')!;
      const again = (await fetch(`${base}/login`)).headers.get('content-security-policy')!;
      expect(again).not.toBe(first);
    });

    it('static files carry the same headers', async () => {
      const res = await fetch(`${base}/favicon.svg`);
      expect(res.status).toBe(200);
      for (const h of [
        'content-security-policy',
        'strict-transport-security',
        'permissions-policy',
        'cross-origin-opener-policy',
        'x-content-type-options',
      ])
        expect(res.headers.get(h), h).toBeTruthy();
    });

    const requests: Array<{ name: string; text: string; status: number }> = [
      { name: 'TRACE', text: 'TRACE / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', status: 405 },
      {
        name: 'an absolute-form request line',
        text: 'GET http://evil.example/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
        status: 400,
      },
      { name: 'an unparsable Host', text: 'GET / HTTP/1.1\r\nHost: a b\r\nConnection: close\r\n\r\n', status: 400 },
    ];
    for (const r of requests) {
      it(`${r.name} gets ${r.status} and a translated page without a stack trace`, async () => {
        const res = await raw(base, r.text);
        expect(res.status).toBe(r.status);
        expect(res.body).not.toMatch(/\bat .*\(|node_modules|\/work\/|Error:/);
      });
    }

    const malformed: Array<{ name: string; send: () => Promise<Response> }> = [
      { name: 'a JSON body', send: () => post(base, '/login', '{"email":', { 'Content-Type': 'application/json' }) },
      { name: 'an invalid JSON body on sign-up', send: () => post(base, '/signup', '{', { 'Content-Type': 'application/json' }) },
      {
        name: 'a broken multipart body',
        send: () =>
          post(base, '/login', '--XYZ\r\nContent-Disposition: form-data; name="email"\r\n\r\nx', {
            'Content-Type': 'multipart/form-data; boundary=XYZ',
          }),
      },
      { name: 'multipart without a boundary', send: () => post(base, '/login', 'x', { 'Content-Type': 'multipart/form-data' }) },
      { name: 'page=1e308 on /search', send: () => fetch(`${base}/search?q=hoc&page=1e308`) },
      { name: 'page=Infinity on /search', send: () => fetch(`${base}/search?q=hoc&page=Infinity`) },
      { name: 'page=1e308 on /resources', send: () => fetch(`${base}/resources?page=1e308`) },
      { name: 'page=Infinity on /resources', send: () => fetch(`${base}/resources?page=Infinity`) },
      { name: 'page=-1 on /resources', send: () => fetch(`${base}/resources?page=-1`) },
    ];
    for (const m of malformed) {
      it(`${m.name} gets 400 and the translated page`, async () => {
        const res = await m.send();
        expect(res.status).toBe(400);
        expect(await res.text()).toContain(BAD_REQUEST_VI);
      });
    }

    const redirects = ['/\r\nSet-Cookie: x=1', '/a\nb', '/học', '/\u2028x'];
    for (const to of redirects) {
      it(`redirectTo=${JSON.stringify(to)} after signing in is a valid, local Location (no 500)`, async () => {
        const res = await fetch(`${base}/login?redirectTo=${encodeURIComponent(to)}`, { redirect: 'manual', headers: { Cookie: cookie } });
        expect(res.status).toBe(302);
        expect(res.headers.get('location')).toMatch(/^\/(?!\/)[\x21-\x7e]*$/);
        expect(res.headers.get('set-cookie') ?? '').not.toContain('x=1');
      });
    }

    it('a malformed %-escape in a cookie does not break the page', async () => {
      const res = await fetch(`${base}/`, { headers: { Cookie: 'lang=%E0%A4%A; textsize=%' } });
      expect(res.status).toBe(200);
    });
  });

  describe('finding 10: the cross-site check compares the scheme too', () => {
    it('a POST whose Origin has the same host but another scheme is refused', async () => {
      const other = base.replace('http://', 'https://');
      const res = await post(base, '/login', form({ email: 'khong-co-ai@example.test', password: 'x' }), { Origin: other });
      expect(res.status).toBe(403);
      const ok = await post(base, '/login', form({ email: 'khong-co-ai@example.test', password: 'x' }));
      expect(ok.status).toBe(401);
    });
  });

  describe('finding 10: sign-up does not tell whether an address is registered', () => {
    it('a taken and a new address get the same answer, and both get a mail', async () => {
      const fresh = `moi.${Date.now()}@example.test`;
      const answers = [];
      for (const email of ['bantochuc.hanoi@demo.hoctap.vn', fresh]) {
        const res = await post(
          base,
          '/signup',
          form({
            displayName: 'Người mới',
            email,
            password: 'mat-khau-rat-dai-1',
            confirmPassword: 'mat-khau-rat-dai-1',
            birthYear: '1990',
            homeUnitId: '',
            locale: 'vi',
            redirectTo: '',
          }),
        );
        answers.push({
          status: res.status,
          location: res.headers.get('location'),
          cookie: !!res.headers.get('set-cookie')?.includes('llw_session='),
        });
      }
      expect(answers[0]).toEqual(answers[1]);
      expect(answers[0]).toMatchObject({ status: 302, cookie: false });
      expect(outboxTo(dataDir, 'bantochuc.hanoi@demo.hoctap.vn').join('\n')).toContain(`${PUBLIC_URL}/forgot-password`);
      expect(outboxTo(dataDir, fresh).join('\n')).toContain(`${PUBLIC_URL}/login`);
    });
  });

  describe('finding 2: the login limit holds against parallel guesses over HTTP', () => {
    it('60 simultaneous wrong passwords for one account: 5 checked (401), 55 refused (429)', async () => {
      const statuses = await Promise.all(
        Array.from({ length: 60 }, () =>
          post(base, '/login', form({ email: 'thuthu@demo.hoctap.vn', password: 'sai-mat-khau' })).then((r) => r.status),
        ),
      );
      expect(statuses.filter((s) => s === 401)).toHaveLength(5);
      expect(statuses.filter((s) => s === 429)).toHaveLength(55);
    });
  });
});
