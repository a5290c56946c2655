/**
 * Web push of the notification centre (optional: off unless VAPID_PUBLIC_KEY/VAPID_PRIVATE_KEY are
 * set). A member turns notifications on in a browser (account settings); every notice they get
 * afterwards is also pushed to that browser by the periodic job, in their language, with the link
 * it opens. Sent with `web-push` (the Web Push protocol, RFC 8030, with VAPID and aes128gcm
 * payload encryption, RFC 8291/8292), never inside the caller's request. Rows are claimed
 * atomically like the mail (`update … where push = 'pending' … returning`): two server processes
 * never push one notice twice. A subscription the push service reports gone (404/410) is deleted;
 * one that keeps failing is dropped after a few tries.
 */
import type { Agent } from 'node:https';

import webpush, { WebPushError } from 'web-push';

import { writeTransaction } from '~/db/dialect';
import { getT } from '~/i18n/i18n.server';
import type { DB } from '~/lib/db.server';
import { type Env, getEnv } from '~/lib/env.server';
import { newId } from '~/lib/ids.server';
import { err, ok, type Result } from '~/lib/result';

import { type ClaimedNotice, noticeLine, stillReadable } from './mail.server';

/** The browsers' own push services; a subscription pointing anywhere else is refused. */
const DEFAULT_HOSTS = ['fcm.googleapis.com', 'push.services.mozilla.com', 'push.apple.com', 'notify.windows.com'];
/** Devices kept per member: the oldest goes when a member turns push on in one more browser. */
export const MAX_DEVICES = 10;
/** Failed sends (other than "gone") before a subscription is dropped. */
const MAX_FAILURES = 5;

export interface PushConfig {
  publicKey: string;
  privateKey: string;
  subject: string;
}

export function pushConfig(env: Env = getEnv()): PushConfig | null {
  if (!env.VAPID_PUBLIC_KEY || !env.VAPID_PRIVATE_KEY) return null;
  const mailFrom = /<([^>]+)>/.exec(env.MAIL_FROM)?.[1] ?? env.MAIL_FROM;
  const subject = env.VAPID_SUBJECT ?? (env.PUBLIC_URL?.startsWith('https://') ? env.PUBLIC_URL : `mailto:${mailFrom}`);
  return { publicKey: env.VAPID_PUBLIC_KEY, privateKey: env.VAPID_PRIVATE_KEY, subject };
}

/** Whether a push endpoint points at an allowed push service (https, a listed host or origin). */
export function allowedEndpoint(endpoint: string, env: Env = getEnv()): boolean {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  const entries = env.WEB_PUSH_HOSTS
    ? env.WEB_PUSH_HOSTS.split(',')
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean)
    : DEFAULT_HOSTS;
  for (const e of entries) {
    // An entry with a scheme names one exact origin (a test's local push service).
    if (/^https?:\/\//.test(e)) {
      if (url.origin === e.replace(/\/$/, '')) return true;
      continue;
    }
    if (url.protocol === 'https:' && (url.hostname === e || url.hostname.endsWith(`.${e}`))) return true;
  }
  return false;
}

export type SubscribeError = 'push_off' | 'bad_endpoint' | 'bad_keys';

export interface SubscriptionInput {
  endpoint: string;
  p256dh: string;
  auth: string;
  userAgent?: string;
}

function b64urlBytes(s: string): number {
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(s)) return -1;
  return Buffer.from(s, 'base64url').length;
}

/** Turns push on for one browser of the member (the same browser again updates its keys). */
export async function subscribePush(
  db: DB,
  userId: string,
  input: SubscriptionInput,
  now = new Date(),
  env: Env = getEnv(),
): Promise<Result<{ id: string }, SubscribeError>> {
  if (!pushConfig(env)) return err('push_off');
  if (input.endpoint.length > 1000 || !allowedEndpoint(input.endpoint, env)) return err('bad_endpoint');
  // p256dh: an uncompressed P-256 point (65 bytes); auth: a 16-byte secret (RFC 8291).
  if (b64urlBytes(input.p256dh) !== 65 || b64urlBytes(input.auth) !== 16) return err('bad_keys');
  const id = newId();
  const ua = (input.userAgent ?? '').slice(0, 200);
  await db
    .insertInto('notif_push_subscriptions')
    .values({
      id,
      user_id: userId,
      endpoint: input.endpoint,
      p256dh: input.p256dh,
      auth: input.auth,
      user_agent: ua,
      created_at: now.toISOString(),
      last_success_at: null,
      failures: 0,
    })
    // A browser someone else used before now belongs to whoever turned push on in it last.
    .onConflict((oc) =>
      oc.column('endpoint').doUpdateSet({ user_id: userId, p256dh: input.p256dh, auth: input.auth, user_agent: ua, failures: 0 }),
    )
    .execute();
  const devices = await db
    .selectFrom('notif_push_subscriptions')
    .select('id')
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  const extra = devices.slice(MAX_DEVICES).map((d) => d.id);
  if (extra.length) await db.deleteFrom('notif_push_subscriptions').where('id', 'in', extra).execute();
  const row = await db.selectFrom('notif_push_subscriptions').select('id').where('endpoint', '=', input.endpoint).executeTakeFirstOrThrow();
  return ok({ id: row.id });
}

/** Turns push off for one browser of the member (an endpoint of someone else's is left alone). */
export async function unsubscribePush(db: DB, userId: string, endpoint: string): Promise<number> {
  const r = await db
    .deleteFrom('notif_push_subscriptions')
    .where('user_id', '=', userId)
    .where('endpoint', '=', endpoint)
    .executeTakeFirst();
  return Number(r.numDeletedRows ?? 0);
}

export async function pushDeviceCount(db: DB, userId: string): Promise<number> {
  const rows = await db.selectFrom('notif_push_subscriptions').select('id').where('user_id', '=', userId).execute();
  return rows.length;
}

/** Of these members, those with a browser to push to (none when push is not configured). */
export async function pushingUsers(db: DB, userIds: string[], env: Env = getEnv()): Promise<Set<string>> {
  if (!pushConfig(env) || !userIds.length) return new Set();
  const rows = await db.selectFrom('notif_push_subscriptions').select('user_id').distinct().where('user_id', 'in', userIds).execute();
  return new Set(rows.map((r) => r.user_id));
}

/** What the service worker receives (app/sw/service-worker.ts shows it). */
export interface PushPayload {
  title: string;
  body: string;
  url: string;
  tag: string;
  lang: string;
}

export type PushSender = (
  sub: { endpoint: string; keys: { p256dh: string; auth: string } },
  payload: string,
  config: PushConfig,
) => Promise<{ statusCode: number }>;

/** The real sender (HTTPS to the push service); `agent` lets a test trust its local service's certificate. */
export function webPushSender(agent?: Agent): PushSender {
  return async (sub, payload, config) => {
    const r = await webpush.sendNotification(sub, payload, {
      vapidDetails: { subject: config.subject, publicKey: config.publicKey, privateKey: config.privateKey },
      TTL: 24 * 3600,
      contentEncoding: 'aes128gcm',
      timeout: 15_000,
      ...(agent ? { agent } : {}),
    });
    return { statusCode: r.statusCode };
  };
}

const COLUMNS = ['id', 'user_id', 'type', 'params', 'url', 'place_type', 'place_id', 'created_at', 'count'] as const;

/** Pushes the notices waiting; returns how many pushes the services accepted. */
export async function sendPendingPush(
  db: DB,
  now = new Date(),
  opts: { limit?: number; send?: PushSender; env?: Env } = {},
): Promise<number> {
  const env = opts.env ?? getEnv();
  const config = pushConfig(env);
  const send = opts.send ?? webPushSender();
  const sub = db
    .selectFrom('notif_notifications')
    .select('id')
    .where('push', '=', 'pending')
    .orderBy('created_at')
    .limit(opts.limit ?? 200);
  const rows: ClaimedNotice[] = await db
    .updateTable('notif_notifications')
    .set({ push: 'sending' })
    .where('push', '=', 'pending')
    .where('id', 'in', sub)
    .returning([...COLUMNS])
    .execute();
  let accepted = 0;
  const handled: string[] = [];
  for (const n of rows) {
    if (config && (await stillReadable(db, n))) {
      const u = await db.selectFrom('users').select('locale').where('id', '=', n.user_id).executeTakeFirst();
      const t = getT(u?.locale ?? 'vi');
      const text = noticeLine(t, n);
      if (text) {
        const payload: PushPayload = {
          title: t('community.push.title'),
          body: text.slice(0, 300),
          url: n.url && n.url.startsWith('/') && !n.url.startsWith('//') ? n.url : '/notifications',
          tag: n.id,
          lang: u?.locale === 'en' ? 'en' : 'vi',
        };
        const devices = await db
          .selectFrom('notif_push_subscriptions')
          .select(['id', 'endpoint', 'p256dh', 'auth', 'failures'])
          .where('user_id', '=', n.user_id)
          .execute();
        for (const d of devices) {
          if (!allowedEndpoint(d.endpoint, env)) {
            await db.deleteFrom('notif_push_subscriptions').where('id', '=', d.id).execute();
            continue;
          }
          try {
            await send({ endpoint: d.endpoint, keys: { p256dh: d.p256dh, auth: d.auth } }, JSON.stringify(payload), config);
            accepted++;
            await db
              .updateTable('notif_push_subscriptions')
              .set({ last_success_at: now.toISOString(), failures: 0 })
              .where('id', '=', d.id)
              .execute();
          } catch (e) {
            const status = e instanceof WebPushError ? e.statusCode : 0;
            if (status === 404 || status === 410 || d.failures + 1 >= MAX_FAILURES) {
              await db.deleteFrom('notif_push_subscriptions').where('id', '=', d.id).execute();
            } else {
              await db
                .updateTable('notif_push_subscriptions')
                .set({ failures: d.failures + 1 })
                .where('id', '=', d.id)
                .execute();
            }
          }
        }
      }
    }
    handled.push(n.id);
  }
  // The run's notices marked in one transaction, not one commit (and fsync) each.
  if (handled.length)
    await writeTransaction(db, async (trx) => {
      for (let i = 0; i < handled.length; i += 500)
        await trx
          .updateTable('notif_notifications')
          .set({ push: 'sent' })
          .where('id', 'in', handled.slice(i, i + 500))
          // Not a notice a new event set going again meanwhile (a gathered one: notify.server.ts writeNotices).
          .where('push', '=', 'sending')
          .execute();
    });
  return accepted;
}
