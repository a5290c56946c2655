/**
 * The scale-out harness (issue 17), used by tests/integration/ops-scale-out.test.ts: a fresh
 * PostgreSQL database (on TEST_DATABASE_URL's server), migrated and filled with a small world
 * (a 3-copy title for the lending race, a 2-copy title for the cache check, a published quiz
 * contest with an open round and its entrants, readers with sessions, two accounts with a
 * password); TWO instances of the built server (server.ts on build/, one process each, their
 * own DATA_DIR) on different ports; and Debian's nginx in front as a round-robin load balancer
 * (a generated nginx.conf in a temporary prefix, `daemon off`, a child process), all on 127.0.0.1.
 * nginx's access log names the upstream of every request, so a test can tell how a burst was split.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { sql } from 'kysely';
import pg from 'pg';
import S3rver from 's3rver';

import { type DB, openDatabase } from '~/db/connection';
import { migrateToLatest } from '~/db/migrate';
import { grantRole, signUp } from '~/domain/accounts.server';
import { attemptView } from '~/domain/contests/attempts.server';
import { addRound, register } from '~/domain/contests/contests.server';
import { createTitle, upsertHolding } from '~/domain/library/titles.server';
import { createUnit } from '~/domain/units.server';
import { syncWeeksFromContent } from '~/domain/weeks.server';
import { createSessionCookie } from '~/lib/auth.server';
import { newId, nowIso } from '~/lib/ids.server';

import { ensureBuilt, freePort } from '../browser/setup/global';
import { type AppProcess, ROOT, startApp, waitUntil } from '../helpers/app-process';
import { contestWorld } from '../helpers/contests';
import { dropDatabase } from '../helpers/db';

export const NGINX = process.env.NGINX_PATH ?? '/usr/sbin/nginx';

/** Why the scale-out test cannot run here, or null when it can. */
export function scaleOutSkipReason(): string | null {
  if (!process.env.TEST_DATABASE_URL)
    return 'TEST_DATABASE_URL is not set (two instances need one PostgreSQL server, e.g. postgres://postgres@127.0.0.1:54329/postgres)';
  if (!fs.existsSync(NGINX)) return `nginx is missing at ${NGINX} (apt-get install -y nginx; .ci/run installs it)`;
  return null;
}

export interface ScaleOut {
  /** nginx, the load balancer. */
  lb: string;
  a: AppProcess;
  b: AppProcess;
  db: DB;
  world: World;
  /** Figures measured by the tests (printed for the README). */
  figures: Record<string, number>;
  /**
   * Requests in nginx's access log (`<upstream> <status> <method> <uri>`) matching `pattern`, per
   * instance port, once at least `expected` of them are logged (nginx logs a request after answering it).
   */
  upstreams: (pattern: RegExp, expected: number) => Promise<Map<number, number>>;
  activeLoans: (holdingId: string) => Promise<number>;
  attemptsOf: (roundId: string) => Promise<
    Array<{
      id: string;
      userId: string;
      status: string;
      maxScore: number | null;
      answers: number;
      questions: Array<{ id: string; firstOption: string }>;
    }>
  >;
  stop: () => Promise<void>;
}

const PASSWORD = 'mat-khau-mo-rong-123';
/** The token of the instances' /metrics (`Authorization: Bearer …`). */
export const METRICS_TOKEN = 'scale-out-metrics-token-0123456789';

type World = Awaited<ReturnType<typeof prepare>>;

/** The schema and the Weeks from content, as a first instance leaves the database. */
async function migrate(db: DB) {
  await migrateToLatest(db);
  await syncWeeksFromContent(db);
}

async function prepare(db: DB, o: { readers: number; entrants: number }) {
  const prov = await createUnit(db, { parentId: null, kind: 'province', slug: 'tinh-mo-rong', name: 'Tỉnh mở rộng' });
  const lib = await createUnit(db, { parentId: prov.id, kind: 'public_library', slug: 'thu-vien-mo-rong', name: 'Thư viện mở rộng' });
  const title = async (slug: string, name: string, copies: number) => {
    const id = await createTitle(
      db,
      {
        slug,
        title: name,
        author: 'Tác giả',
        language: 'vi',
        description: 'Mô tả',
        subjects: ['truyện'],
        audience: 'all',
        themeYear: null,
        publisher: null,
        publishedYear: null,
      },
      { origin: 'upload', createdBy: null },
    );
    return (await upsertHolding(db, id, lib.id, { openAccess: false, copies })).id;
  };
  const raceHoldingId = await title('sach-dua-tranh', 'Sách đua tranh', 3);
  const libraryId = lib.id;
  const cacheHoldingId = await title('sach-bo-nho-dem', 'Sách bộ nhớ đệm', 2);

  // People who never type a password: rows and sessions written here (as the browser tests do).
  const users = async (n: number, prefix: string) => {
    const rows = Array.from({ length: n }, (_, i) => ({
      id: newId(),
      email: `${prefix}-${i}@mo-rong.vn`,
      password_hash: 'x',
      display_name: `Bạn đọc ${prefix} ${i}`,
      birth_year: 1990,
      home_unit_id: null,
      locale: 'vi' as const,
      created_at: nowIso(),
    }));
    if (rows.length) await db.insertInto('users').values(rows).execute();
    return rows.map((r) => r.id);
  };
  const cookieOf = async (userId: string) => (await createSessionCookie(userId, db)).split(';')[0]!;
  const readers = await Promise.all((await users(o.readers, 'doc-gia')).map(cookieOf));
  const [cacheReaderId] = await users(1, 'bo-nho-dem');
  const cacheReader = await cookieOf(cacheReaderId!);
  const [librarianId] = await users(1, 'thu-thu');
  await grantRole(db, { userId: librarianId!, unitId: lib.id, role: 'librarian', grantedBy: null });
  const librarian = await cookieOf(librarianId!);

  // A published quiz contest whose round is open now.
  const w = await contestWorld(db);
  const contest = await w.contest({ title: 'Cuộc thi mở rộng' });
  await w.bank(contest.id, ['Chủ đề'], 4);
  const now = Date.now();
  const round = await addRound(db, w.organiser, contest.id, {
    title: 'Vòng mở rộng',
    opensAt: new Date(now - 60_000).toISOString(),
    closesAt: new Date(now + 3_600_000).toISOString(),
    timeLimitS: 1800,
    quota: [{ topic: null, difficulty: 'easy', count: 3 }],
  });
  if (!round.ok) throw new Error(`round: ${round.code}`);
  const entrants: Array<{ userId: string; cookie: string }> = [];
  for (const userId of await users(o.entrants, 'du-thi')) {
    const r = await register(db, contest.id, userId, { fullName: 'Người dự thi', birthYear: 1990, unitId: w.schoolA.id, phone: null });
    if (!r.ok) throw new Error(`register: ${r.code}`);
    entrants.push({ userId, cookie: await cookieOf(userId) });
  }

  // Two accounts with a password: the shared session and the shared sign-in limit.
  for (const [email, name] of [
    ['phien-chung@mo-rong.vn', 'Người dùng phiên chung'],
    ['gioi-han@mo-rong.vn', 'Người dùng giới hạn'],
  ] as const) {
    const r = await signUp(db, { email, password: PASSWORD, displayName: name, birthYear: 1990, homeUnitId: null, locale: 'vi' });
    if (!r.ok) throw new Error('sign-up failed');
  }
  return {
    raceSlug: 'sach-dua-tranh',
    raceHoldingId,
    cacheSlug: 'sach-bo-nho-dem',
    cacheHoldingId,
    cacheReader,
    libraryId,
    librarian,
    readers,
    contestSlug: contest.slug,
    roundId: round.value,
    entrants,
    password: PASSWORD,
    sessionEmail: 'phien-chung@mo-rong.vn',
    limitEmail: 'gioi-han@mo-rong.vn',
  };
}

/** The load balancer's configuration: plain round-robin over the instances (README has the production one). */
export function nginxConf(prefix: string, listenPort: number, upstreams: number[]): string {
  return `daemon off;
worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log warn;
events { worker_connections 2048; }
http {
  log_format upstream '$upstream_addr $status $request_method $request_uri';
  access_log ${prefix}/access.log upstream;
  client_body_temp_path ${prefix}/tmp/body;
  proxy_temp_path ${prefix}/tmp/proxy;
  fastcgi_temp_path ${prefix}/tmp/fastcgi;
  uwsgi_temp_path ${prefix}/tmp/uwsgi;
  scgi_temp_path ${prefix}/tmp/scgi;
  upstream hoctap {
${upstreams.map((p) => `    server 127.0.0.1:${p};`).join('\n')}
    keepalive 32;
  }
  server {
    listen 127.0.0.1:${listenPort};
    client_max_body_size 100m;
    location / {
      proxy_pass http://hoctap;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Request-Id $request_id;
      proxy_request_buffering off;
    }
  }
}
`;
}

async function startNginx(upstreams: number[]) {
  const prefix = fs.mkdtempSync(path.join(os.tmpdir(), 'llw-nginx-'));
  // Worker processes run as nobody when started by root: let them write their temporary files.
  fs.mkdirSync(path.join(prefix, 'tmp'), { mode: 0o777 });
  fs.chmodSync(prefix, 0o755);
  fs.chmodSync(path.join(prefix, 'tmp'), 0o777);
  const port = await freePort();
  const conf = path.join(prefix, 'nginx.conf');
  fs.writeFileSync(conf, nginxConf(prefix, port, upstreams));
  let out = '';
  const child: ChildProcess = spawn(NGINX, ['-c', conf, '-p', prefix, '-e', path.join(prefix, 'error.log')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = `http://127.0.0.1:${port}`;
  const errors = () =>
    `${out}${fs.existsSync(path.join(prefix, 'error.log')) ? fs.readFileSync(path.join(prefix, 'error.log'), 'utf8') : ''}`;
  await waitUntil(
    async () => {
      if (child.exitCode !== null) throw new Error(`nginx exited (${child.exitCode}):\n${errors()}`);
      try {
        return (await fetch(`${url}/readyz`)).status === 200;
      } catch {
        return false;
      }
    },
    20_000,
    'nginx answers /readyz',
  );
  const log = path.join(prefix, 'access.log');
  const lines = () => fs.readFileSync(log, 'utf8').split('\n').filter(Boolean);
  return {
    url,
    lines,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGQUIT'); // graceful: finishes what is in flight
        const t = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(t);
      }
      fs.rmSync(prefix, { recursive: true, force: true });
    },
  };
}

export async function startScaleOut(o: { readers: number; entrants: number; log?: (l: string) => void }): Promise<ScaleOut> {
  const log = o.log ?? (() => undefined);
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error('TEST_DATABASE_URL is not set');
  const t0 = Date.now();
  ensureBuilt(ROOT);

  // A fresh database (not a schema): the instances' DATABASE_URL is then an ordinary one, and the
  // page cache's LISTEN/NOTIFY channel is this test's own.
  const dbName = `llw_scale_${newId(10)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  const u = new URL(base);
  u.pathname = `/${dbName}`;
  const dbUrl = u.toString();
  const db = openDatabase(dbUrl);

  const started: Array<{ stop: () => Promise<void> }> = [];
  const dataDirs: string[] = [];
  const stop = async () => {
    for (const s of started.reverse()) await s.stop().catch(() => undefined);
    await db.destroy().catch(() => undefined);
    await dropDatabase(base, dbName);
    for (const d of dataDirs) fs.rmSync(d, { recursive: true, force: true });
  };
  try {
    await migrate(db);
    log(`database ${dbName} migrated in ${Date.now() - t0} ms`);
    // The shared object store: s3rver, a local test double of the S3 protocol (a deployment uses
    // MinIO, Ceph RGW, AWS S3 or a provider's object storage), with each instance's own disk beside it.
    const s3Dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llw-scale-s3-'));
    dataDirs.push(s3Dir);
    const s3Port = await freePort();
    const s3 = new S3rver({
      address: '127.0.0.1',
      port: s3Port,
      silent: true,
      directory: s3Dir,
      configureBuckets: [{ name: 'llw-scale' }],
    });
    await s3.run();
    started.push({ stop: () => s3.close() });
    const storageUrl = `s3://S3RVER:S3RVER@llw-scale?endpoint=http://127.0.0.1:${s3Port}&region=us-east-1`;
    const env = (name: string) => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `llw-scale-${name}-`));
      dataDirs.push(dataDir);
      return {
        WEB_CONCURRENCY: '1',
        SEED_DEMO: '0',
        SESSION_SECRET: 'scale-out-session-secret-0123456789abcdef',
        DATA_DIR: dataDir, // each instance its own disk, as on two machines
        DATABASE_URL: dbUrl,
        STORAGE_URL: storageUrl,
        TRUST_PROXY: '1',
        PG_POOL_MAX: '10',
        LOG_LEVEL: 'warn',
        METRICS_TOKEN, // each instance's /metrics (job runs) read by the test
      };
    };
    // Both at once, as a deployment starts them: the database is already prepared (migrations and
    // the Weeks from content, as a first instance leaves it), so their own preparation is a no-op.
    // The test's own rows are written meanwhile.
    const [ra, rb, rw] = await Promise.allSettled([
      startApp(env('a'), { ready: '/readyz', timeoutMs: 90_000 }),
      startApp(env('b'), { ready: '/readyz', timeoutMs: 90_000 }),
      prepare(db, o),
    ]);
    for (const r of [ra, rb]) if (r.status === 'fulfilled') started.push(r.value);
    for (const r of [ra, rb, rw]) if (r.status === 'rejected') throw r.reason;
    const [a, b, world] = [
      (ra as PromiseFulfilledResult<AppProcess>).value,
      (rb as PromiseFulfilledResult<AppProcess>).value,
      (rw as PromiseFulfilledResult<World>).value,
    ];
    log(`instances on ports ${a.port} and ${b.port} ready after ${Date.now() - t0} ms`);
    const lb = await startNginx([a.port, b.port]);
    started.push(lb);
    log(`nginx on ${lb.url} after ${Date.now() - t0} ms`);
    return {
      lb: lb.url,
      a,
      b,
      db,
      world,
      figures: { startMs: Date.now() - t0 },
      upstreams: async (pattern, expected) => {
        const matching = () => lb.lines().filter((l) => pattern.test(l));
        await waitUntil(() => matching().length >= expected, 10_000, `${expected} requests matching ${pattern} in nginx's access log`);
        const m = new Map<number, number>();
        for (const line of matching()) {
          const port = Number(/^127\.0\.0\.1:(\d+)/.exec(line)?.[1]);
          if (port) m.set(port, (m.get(port) ?? 0) + 1);
        }
        return m;
      },
      activeLoans: async (holdingId) => {
        const r = await db
          .selectFrom('lib_loans')
          .select(sql<string>`count(*)`.as('n'))
          .where('holding_id', '=', holdingId)
          .where('status', '=', 'active')
          .executeTakeFirstOrThrow();
        return Number(r.n);
      },
      attemptsOf: async (roundId) => {
        const rows = await db
          .selectFrom('contest_attempts')
          .select(['id', 'user_id', 'status', 'max_score'])
          .where('round_id', '=', roundId)
          .execute();
        return Promise.all(
          rows.map(async (r) => {
            const view = await attemptView(db, r.id, r.user_id);
            const n = await db
              .selectFrom('contest_answers')
              .select(sql<string>`count(*)`.as('n'))
              .where('attempt_id', '=', r.id)
              .executeTakeFirstOrThrow();
            return {
              id: r.id,
              userId: r.user_id,
              status: r.status,
              maxScore: r.max_score,
              answers: Number(n.n),
              questions: (view?.questions ?? []).map((q) => ({ id: q.id, firstOption: q.options[0]?.id ?? '' })),
            };
          }),
        );
      },
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
