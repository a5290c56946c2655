/**
 * The resumable upload endpoint of contest entries (the tus 1.0 protocol, `@tus/server` with its
 * file store): `POST /uploads/tus` creates an upload for a round (metadata `roundId`), `PATCH`
 * sends bytes from the offset `HEAD` reports, so a dropped connection resumes where it stopped.
 * Every request needs the signed-in entrant (session cookie) and, after creation, the upload must
 * be theirs; state-changing requests must come from this site. The rules are the domain's
 * (`~/domain/contests/uploads.server`): who may start, size cap, content check when the last byte
 * arrives. The bytes stay in DATA_DIR/uploads/tus until the entrant submits (then they go into the
 * storage module) or the upload expires (`sweepTusUploads`, a periodic job).
 *
 * Answers with a refusal carry JSON `{ code, params }`; the browser maps the code to a message.
 */
import path from 'node:path';

import { FileStore } from '@tus/file-store';
import { Server } from '@tus/server';
import type { Request as ExpressRequest, RequestHandler } from 'express';

import { beginUpload, expireUploads, finishUpload, UPLOAD_TTL_MS, uploadAccess } from '~/domain/contests/uploads.server';
import { getAuth } from '~/lib/auth.server';
import { type DB, getDb } from '~/lib/db.server';
import { getEnv } from '~/lib/env.server';
import { isSameSite } from '~/lib/http-guard.server';
import type { UploadStartLimits } from '~/lib/rate-limit.server';

export const TUS_PATH = '/uploads/tus';
/** The endpoint and its upload URLs (`/uploads/tus/<id>`), for `app.all(...)` (keeps req.url whole). */
export const TUS_ROUTE = /^\/uploads\/tus(?:\/[^/]*)?\/?$/;
/** An outer cap above every round's own cap (checked on creation). */
const MAX_SIZE = 4 * 1024 * 1024 * 1024;

export function tusDirectory(): string {
  return path.join(getEnv().DATA_DIR, 'uploads', 'tus');
}

function refusal(status: number, code: string, params?: Record<string, string | number>) {
  return { status_code: status, body: JSON.stringify({ code, params: params ?? {} }) };
}

const STATUS: Record<string, number> = {
  not_found: 404,
  upload_missing: 404,
  forbidden: 403,
  not_registered: 403,
  not_open: 409,
  promoted_stage: 409,
  too_large: 413,
  no_length: 400,
  rate_limited: 429,
};

/** The header carrying the client's address from the express handler to the tus hooks (set there, never the client's). */
const CLIENT_IP = 'x-llw-client-ip';

export interface TusUploads {
  server: Server;
  store: FileStore;
  /** The express handler (mount with `app.all(TUS_ROUTE, handler)`). */
  handler: RequestHandler;
  /** The local file holding an upload's bytes. */
  filePath: (id: string) => string;
  remove: (id: string) => Promise<void>;
}

export function createTusUploads(opts: {
  db: () => DB;
  directory: string;
  now?: () => Date;
  /** Upload starts per account and per address (the shared LIMITS when omitted). */
  limits?: UploadStartLimits;
}): TusUploads {
  const now = opts.now ?? (() => new Date());
  const store = new FileStore({ directory: opts.directory, expirationPeriodInMilliseconds: UPLOAD_TTL_MS });
  const userOf = async (req: { headers: Headers }) => {
    const cookie = req.headers.get('cookie');
    if (!cookie) return null;
    return (await getAuth(new Request('http://localhost/', { headers: { cookie } }), opts.db())).user;
  };
  const remove = async (id: string) => {
    try {
      await store.remove(id);
    } catch {
      /* already gone */
    }
  };
  const server = new Server({
    path: TUS_PATH,
    datastore: store,
    relativeLocation: true,
    maxSize: MAX_SIZE,
    respectForwardedHeaders: getEnv().TRUST_PROXY === '1',
    // Every request on an existing upload: its owner only (others cannot tell it exists).
    async onIncomingRequest(req, id) {
      if (req.method === 'POST') return; // creation (a fresh id): onUploadCreate checks it
      const user = await userOf(req);
      if (!user) throw refusal(401, 'forbidden');
      if ((await uploadAccess(opts.db(), id, user.id, now())) !== 'ok') throw refusal(404, 'upload_missing');
    },
    async onUploadCreate(req, upload) {
      const user = await userOf(req);
      if (!user) throw refusal(401, 'forbidden');
      const roundId = upload.metadata?.roundId ?? '';
      const ip = req.headers.get(CLIENT_IP) ?? '0.0.0.0';
      const r = await beginUpload(opts.db(), user.id, { id: upload.id, roundId, size: upload.size, ip }, now(), opts.limits);
      if (!r.ok) throw refusal(STATUS[r.code] ?? 422, r.code, r.detail);
      for (const id of r.value.superseded) await remove(id);
      return {};
    },
    async onUploadFinish(_req, upload) {
      const r = await finishUpload(opts.db(), upload.id, path.join(opts.directory, upload.id), now());
      if (!r.ok) {
        await remove(upload.id);
        throw refusal(STATUS[r.code] ?? 422, r.code, r.detail);
      }
      return {};
    },
  });
  const handler: RequestHandler = (req, res, next) => {
    // Cross-site request forgery: creating, sending and deleting must come from our own pages.
    if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS' && !sameSite(req)) {
      res
        .status(403)
        .type('application/json')
        .send(JSON.stringify({ code: 'forbidden', params: {} }));
      return;
    }
    res.setHeader('Cache-Control', 'no-store');
    // The address the rate limits count (express's, behind a trusted proxy the forwarded one);
    // whatever the client sent under this name is overwritten.
    req.headers[CLIENT_IP] = req.ip ?? req.socket.remoteAddress ?? '0.0.0.0';
    server.handle(req, res).catch(next);
  };
  return { server, store, handler, filePath: (id) => path.join(opts.directory, id), remove };
}

function sameSite(req: ExpressRequest): boolean {
  const origin = req.headers.origin ?? req.headers.referer;
  if (origin && origin !== 'null') return isSameSite(origin, req);
  return req.headers['sec-fetch-site'] !== 'cross-site';
}

let instance: TusUploads | undefined;
/** The app's endpoint (its database, DATA_DIR/uploads/tus). */
export function tusUploads(): TusUploads {
  return (instance ??= createTusUploads({ db: getDb, directory: tusDirectory() }));
}

/** Express handler of the app's endpoint (exported through the server build for server.ts). */
export const tusUploadsHandler: RequestHandler = (req, res, next) => tusUploads().handler(req, res, next);

/** The periodic job: forgets expired uploads (rows and bytes), then unfinished files without a row. */
export async function sweepTusUploads(db: DB, now = new Date()): Promise<number> {
  const t = tusUploads();
  const ids = await expireUploads(db, now);
  for (const id of ids) await t.remove(id);
  const orphans = await t.store.deleteExpired().catch(() => 0);
  return ids.length + orphans;
}
