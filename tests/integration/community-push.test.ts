/**
 * Web push of the notification centre against a real HTTP push service on 127.0.0.1 (a test
 * double of FCM/Mozilla/Apple's services speaking the same protocol): the server POSTs a VAPID-
 * signed, aes128gcm-encrypted message that the browser's keys (made here with node:crypto)
 * decrypt to the member's notice in their language; a service that answers 410 loses the
 * subscription; two job runners never push one notice twice; addresses outside the push
 * services are refused.
 */
import { createECDH, randomBytes } from 'node:crypto';
import type http from 'node:http';
import https from 'node:https';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';

import { generate } from 'selfsigned';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import webpush from 'web-push';

import type { DB } from '~/db/connection';
import { createThread } from '~/domain/discussion/posts.server';
import { notify } from '~/domain/notifications/notify.server';
import {
  allowedEndpoint,
  MAX_DEVICES,
  type PushSender,
  sendPendingPush as sendPending,
  subscribePush,
  unsubscribePush,
  webPushSender,
} from '~/domain/notifications/push.server';
import { getEnv, resetEnvCache } from '~/lib/env.server';

import { dialects } from '../helpers/db';
import { eachFreshWorld } from '../helpers/world';
import { type CommunityWorld, communityWorld, reply } from './community-fixtures';

const ece = createRequire(import.meta.url)('http_ece') as {
  decrypt(buf: Buffer, params: { version: string; privateKey: ReturnType<typeof createECDH>; authSecret: string }): Buffer;
};

const T0 = new Date('2026-11-10T03:00:00Z');

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

let server: https.Server;
let origin = '';
let send: PushSender;
/** The job, sending over HTTPS to the local push service (its certificate trusted for this test only). */
const sendPendingPush = (db: DB, now: Date) => sendPending(db, now, { send });
const received: Received[] = [];
const saved = { ...process.env };

beforeAll(async () => {
  // The Web Push protocol is HTTPS only: the local service gets a certificate for 127.0.0.1.
  const pem = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    curve: 'P-256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
  server = https.createServer({ key: pem.private, cert: pem.cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      // A browser that was reset or uninstalled: the service says the subscription is gone.
      res.statusCode = req.url?.startsWith('/gone/') ? 410 : 201;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  send = webPushSender(new https.Agent({ ca: pem.cert, keepAlive: false }));
  const keys = webpush.generateVAPIDKeys();
  process.env.VAPID_PUBLIC_KEY = keys.publicKey;
  process.env.VAPID_PRIVATE_KEY = keys.privateKey;
  process.env.VAPID_SUBJECT = 'mailto:ban-to-chuc@example.vn';
  process.env.WEB_PUSH_HOSTS = `fcm.googleapis.com,${origin}`;
  resetEnvCache();
});

afterAll(async () => {
  process.env = saved;
  resetEnvCache();
  await new Promise<void>((r) => server.close(() => r()));
});

/** What a browser makes when push is turned on: a key pair and an auth secret. */
function browserKeys() {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return { ecdh, p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') };
}

describe.each(dialects)('community: web push (%s)', (dialect) => {
  let db: DB;
  let w: CommunityWorld;
  eachFreshWorld(
    dialect,
    (db) => communityWorld(db, T0),
    (fresh) => ({ db, w } = fresh),
  );
  beforeEach(() => {
    received.length = 0;
  });

  it('pushes a reply to the member’s browser, encrypted for it, in Vietnamese, with the link to the post', async () => {
    const a = await w.established();
    const b = await w.established({ name: 'Hoàng Văn Bảy' });
    const k = browserKeys();
    const endpoint = `${origin}/push/${a}`;
    expect((await subscribePush(db, a, { endpoint, p256dh: k.p256dh, auth: k.auth }, T0)).ok).toBe(true);

    const t = await createThread(db, { userId: a }, w.pub, { title: 'Sách hay tháng này', body: 'Mọi người đang đọc gì?' }, T0);
    if (!t.ok) throw new Error(t.code);
    const r = await reply(db, { userId: b }, t.value.threadId, { body: 'Mình đọc "Dế Mèn phiêu lưu ký".' }, T0);
    if (!r.ok) throw new Error(r.code);

    expect(await sendPendingPush(db, T0)).toBe(1);
    expect(received).toHaveLength(1);
    const msg = received[0]!;
    expect(msg.path).toBe(`/push/${a}`);
    expect(msg.headers['content-encoding']).toBe('aes128gcm');
    expect(msg.headers.authorization).toMatch(/^vapid t=[\w-]+\.[\w-]+\.[\w-]+, k=[\w-]+$/);
    expect(Number(msg.headers.ttl)).toBeGreaterThan(0);
    // Nobody on the way can read it; the browser's private key can.
    expect(msg.body.toString('latin1')).not.toContain('Sách hay');
    const payload = JSON.parse(
      ece.decrypt(msg.body, { version: 'aes128gcm', privateKey: k.ecdh, authSecret: k.auth }).toString('utf8'),
    ) as {
      title: string;
      body: string;
      url: string;
    };
    expect(payload.title).toBe('Tuần lễ học tập suốt đời');
    expect(payload.body).toContain('Hoàng Văn Bảy');
    expect(payload.body).toContain('Sách hay tháng này');
    expect(payload.url).toMatch(/^\/forums\/t\//);

    // Pushed once: the next run finds nothing.
    expect(await sendPendingPush(db, T0)).toBe(0);
    expect(received).toHaveLength(1);
  });

  it('a reply arriving while its thread’s notice is being pushed is pushed at the next run, with the count', async () => {
    const a = await w.established();
    const b = await w.established({ name: 'Hoàng Văn Bảy' });
    const k = browserKeys();
    expect((await subscribePush(db, a, { endpoint: `${origin}/push/${a}`, p256dh: k.p256dh, auth: k.auth }, T0)).ok).toBe(true);
    const t = await createThread(db, { userId: a }, w.pub, { title: 'Sách nói cho ông bà', body: 'Ai dùng rồi?' }, T0);
    if (!t.ok) throw new Error(t.code);
    expect((await reply(db, { userId: b }, t.value.threadId, { body: 'Ông tôi nghe mỗi sáng.' }, T0)).ok).toBe(true);
    const text = (i: number) =>
      (
        JSON.parse(ece.decrypt(received[i]!.body, { version: 'aes128gcm', privateKey: k.ecdh, authSecret: k.auth }).toString('utf8')) as {
          body: string;
        }
      ).body;
    // The job is on its way to the push service when the next reply is gathered into the notice.
    let replied = false;
    const during: PushSender = async (...args) => {
      if (!replied) {
        replied = true;
        const r = await reply(db, { userId: b }, t.value.threadId, { body: 'Bà tôi cũng thích.' }, new Date(T0.getTime() + 60_000));
        if (!r.ok) throw new Error(r.code);
      }
      return send(...args);
    };
    expect(await sendPending(db, T0, { send: during })).toBe(1);
    expect(text(0)).toContain('Hoàng Văn Bảy');
    // Not marked pushed over the reply it has not told: the next run pushes the notice again.
    expect(await sendPendingPush(db, T0)).toBe(1);
    expect(text(1)).toContain('2 trả lời mới trong “Sách nói cho ông bà”');
    expect(await sendPendingPush(db, T0)).toBe(0);
  });

  it('never pushes one notice twice when two job runners race, and reaches every device of the member', async () => {
    const a = await w.established();
    for (let i = 0; i < 2; i++) {
      const k = browserKeys();
      expect((await subscribePush(db, a, { endpoint: `${origin}/push/${a}/${i}`, p256dh: k.p256dh, auth: k.auth }, T0)).ok).toBe(true);
    }
    for (let i = 0; i < 5; i++) {
      await notify(db, { userId: a, type: 'community.moderation', params: { action: 'x', title: `Chủ đề ${i}`, reason: 'y' }, now: T0 });
    }
    const [x, y] = await Promise.all([sendPendingPush(db, T0), sendPendingPush(db, T0)]);
    expect(x + y).toBe(10); // 5 notices × 2 devices
    expect(received).toHaveLength(10);
    expect(new Set(received.map((r) => r.path))).toEqual(new Set([`/push/${a}/0`, `/push/${a}/1`]));
  });

  it('forgets a browser the push service reports gone, and leaves a member without devices alone', async () => {
    const a = await w.established();
    const lonely = await w.established();
    const k = browserKeys();
    await subscribePush(db, a, { endpoint: `${origin}/gone/${a}`, p256dh: k.p256dh, auth: k.auth }, T0);
    await notify(db, { userId: a, type: 'community.moderation', params: { action: 'x', title: 't', reason: 'y' }, now: T0 });
    await notify(db, { userId: lonely, type: 'community.moderation', params: { action: 'x', title: 't', reason: 'y' }, now: T0 });
    expect(await sendPendingPush(db, T0)).toBe(0);
    expect(received).toHaveLength(1);
    expect(await db.selectFrom('notif_push_subscriptions').selectAll().execute()).toHaveLength(0);
    const states = await db.selectFrom('notif_notifications').select(['user_id', 'push']).execute();
    expect(states.find((s) => s.user_id === lonely)?.push).toBe('none');
    expect(states.find((s) => s.user_id === a)?.push).toBe('sent');
  });

  it('refuses addresses outside the push services and malformed keys; one browser belongs to its last member; devices are capped', async () => {
    const a = await w.established();
    const b = await w.established();
    const k = browserKeys();
    const bad = [
      'http://169.254.169.254/latest/meta-data',
      'https://fcm.googleapis.com.evil.example/x',
      'https://user:pw@fcm.googleapis.com/x',
      'http://fcm.googleapis.com/fcm/send/abc',
      origin.replace('https:', 'http:') + '/x',
      `${origin}.evil/x`,
      'javascript:alert(1)',
    ];
    for (const endpoint of bad) {
      const r = await subscribePush(db, a, { endpoint, p256dh: k.p256dh, auth: k.auth }, T0);
      expect(r.ok ? 'ok' : r.code, endpoint).toBe('bad_endpoint');
    }
    expect(allowedEndpoint('https://fcm.googleapis.com/fcm/send/abc', getEnv())).toBe(true);
    const badKeys = await subscribePush(db, a, { endpoint: `${origin}/push/x`, p256dh: 'abc', auth: k.auth }, T0);
    expect(badKeys.ok ? 'ok' : badKeys.code).toBe('bad_keys');

    // The same browser, signed in as someone else and turned on again, now belongs to them.
    const shared = `${origin}/push/shared`;
    await subscribePush(db, a, { endpoint: shared, p256dh: k.p256dh, auth: k.auth }, T0);
    await subscribePush(db, b, { endpoint: shared, p256dh: k.p256dh, auth: k.auth }, T0);
    const rows = await db.selectFrom('notif_push_subscriptions').select(['user_id']).where('endpoint', '=', shared).execute();
    expect(rows).toEqual([{ user_id: b }]);
    // A member cannot turn off someone else's browser.
    expect(await unsubscribePush(db, a, shared)).toBe(0);
    expect(await unsubscribePush(db, b, shared)).toBe(1);

    for (let i = 0; i < MAX_DEVICES + 3; i++) {
      const kk = browserKeys();
      await subscribePush(
        db,
        a,
        { endpoint: `${origin}/push/many/${i}`, p256dh: kk.p256dh, auth: kk.auth },
        new Date(T0.getTime() + i * 1000),
      );
    }
    const mine = await db.selectFrom('notif_push_subscriptions').select('endpoint').where('user_id', '=', a).execute();
    expect(mine).toHaveLength(MAX_DEVICES);
    expect(mine.map((m) => m.endpoint)).toContain(`${origin}/push/many/${MAX_DEVICES + 2}`);
  });
});
