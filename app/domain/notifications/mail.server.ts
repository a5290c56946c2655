/**
 * Email of the notification centre, sent by the periodic jobs (app/jobs.server.ts):
 * `sendPendingMail` (immediately-mode notices, every minute) and `sendDailyDigests` (one mail per
 * member with the notices of the previous days, hourly). Rows are claimed atomically
 * (`update … where email = 'pending' … returning`): two server processes running the same job
 * never send one notice twice. Every mail carries a one-click unsubscribe link with a signed token
 * that works without signing in.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

import { writeTransaction } from '~/db/dialect';
import { canReadPlace } from '~/domain/discussion/places.server';
import { getT } from '~/i18n/i18n.server';
import { asKey } from '~/i18n/keys';
import type { Locale } from '~/i18n/locale';
import { todayInVietnam } from '~/lib/dates';
import type { DB } from '~/lib/db.server';
import { getEnv } from '~/lib/env.server';
import { newId } from '~/lib/ids.server';
import { type Mail, sendMails } from '~/lib/mailer.server';
import { err, ok, type Result } from '~/lib/result';

import { setEmailPreferences } from './notify.server';
import { CONFIGURABLE_TYPES, isNotificationType, noticeMessage, NOTIFICATION_TYPES, type NotificationType } from './types';

// ---- unsubscribe tokens ----

function secret(): string {
  return getEnv().SESSION_SECRET ?? 'development-only-unsubscribe-secret';
}

export type UnsubscribeScope = NotificationType | 'all';

export function unsubscribeToken(userId: string, scope: UnsubscribeScope): string {
  return createHmac('sha256', secret()).update(`unsubscribe:${userId}:${scope}`).digest('base64url').slice(0, 32);
}

function baseUrl(): string {
  return (getEnv().PUBLIC_URL ?? `http://localhost:${getEnv().PORT}`).replace(/\/$/, '');
}

export function unsubscribeUrl(userId: string, scope: UnsubscribeScope): string {
  const q = new URLSearchParams({ u: userId, s: scope, t: unsubscribeToken(userId, scope) });
  return `${baseUrl()}/notifications/unsubscribe?${q}`;
}

export function checkUnsubscribe(userId: string, scope: string, token: string): scope is UnsubscribeScope {
  if (scope !== 'all' && !(isNotificationType(scope) && NOTIFICATION_TYPES[scope].configurable)) return false;
  const want = Buffer.from(unsubscribeToken(userId, scope as UnsubscribeScope));
  const got = Buffer.from(token);
  return want.length === got.length && timingSafeEqual(want, got);
}

export type UnsubscribeError = 'invalid';

/** Turns email off for one type (or every type) of the member the signed link names. */
export async function unsubscribe(
  db: DB,
  userId: string,
  scope: string,
  token: string,
): Promise<Result<UnsubscribeScope, UnsubscribeError>> {
  if (!checkUnsubscribe(userId, scope, token)) return err('invalid');
  const user = await db.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst();
  if (!user) return err('invalid');
  const types = scope === 'all' ? CONFIGURABLE_TYPES : [scope];
  await setEmailPreferences(db, userId, Object.fromEntries(types.map((t) => [t, 'never'])));
  return ok(scope);
}

// ---- composing ----

/** A notice as the mail and push jobs read it. */
export interface ClaimedNotice {
  id: string;
  user_id: string;
  type: string;
  params: string;
  url: string | null;
  place_type: string | null;
  place_id: string | null;
  created_at: string;
  /** Events the notice stands for (replies gathered while unread). */
  count: number;
}

/** The notice's one line in the member's language (null for an unknown type). */
export function noticeLine(t: ReturnType<typeof getT>, n: ClaimedNotice): string | null {
  if (!isNotificationType(n.type)) return null;
  let params: Record<string, unknown> = {};
  try {
    params = JSON.parse(n.params) as Record<string, unknown>;
  } catch {
    params = {};
  }
  const m = noticeMessage(n.type, params, Number(n.count));
  return t(asKey(m.key), m.params);
}

/** A notice about a place the member can no longer read is not sent. */
export async function stillReadable(db: DB, n: ClaimedNotice): Promise<boolean> {
  if (!n.place_type || !n.place_id) return true;
  return canReadPlace(db, n.user_id, { type: n.place_type, id: n.place_id });
}

const COLUMNS = ['id', 'user_id', 'type', 'params', 'url', 'place_type', 'place_id', 'created_at', 'count'] as const;

/** Claims up to `limit` rows in state `from` for this runner; another runner cannot take them. */
async function claim(db: DB, from: 'pending' | 'digest', before: string | null, limit: number): Promise<ClaimedNotice[]> {
  const c = newId();
  return writeTransaction(db, (trx) => {
    let sub = trx.selectFrom('notif_notifications').select('id').where('email', '=', from);
    if (before) sub = sub.where('created_at', '<', before);
    return trx
      .updateTable('notif_notifications')
      .set({ email: 'sending', claim: c })
      .where('email', '=', from)
      .where('id', 'in', sub.orderBy('created_at').limit(limit))
      .returning([...COLUMNS])
      .execute();
  });
}

function markSent(ids: string[], now: Date) {
  return async (trx: DB) => {
    for (let i = 0; i < ids.length; i += 500)
      await trx
        .updateTable('notif_notifications')
        .set({ email: 'sent', emailed_at: now.toISOString() })
        .where('id', 'in', ids.slice(i, i + 500))
        // Not a notice a new event set going again meanwhile (a gathered one: notify.server.ts writeNotices).
        .where('email', '=', 'sending')
        .execute();
  };
}

/** Sends a run's mails, then marks every notice it claimed as emailed (`sendMails`: two transactions in all). */
async function deliver(db: DB, mails: Mail[], claimed: ClaimedNotice[], now: Date): Promise<number> {
  await sendMails(
    db,
    mails,
    markSent(
      claimed.map((n) => n.id),
      now,
    ),
  );
  return mails.length;
}

/** The claimed notices' members (email, language), read at once. */
async function recipients(db: DB, rows: ClaimedNotice[]): Promise<Map<string, { email: string; locale: Locale }>> {
  const ids = [...new Set(rows.map((r) => r.user_id))];
  const out = new Map<string, { email: string; locale: Locale }>();
  for (let i = 0; i < ids.length; i += 500) {
    const users = await db
      .selectFrom('users')
      .select(['id', 'email', 'locale'])
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
    for (const u of users) out.set(u.id, u);
  }
  return out;
}

/**
 * Sends the immediately-mode notices waiting; returns how many mails left. The mails of a run are
 * written and their notices marked in two transactions (`sendMails`), not three commits a mail.
 */
export async function sendPendingMail(db: DB, now = new Date(), limit = 200): Promise<number> {
  const rows = await claim(db, 'pending', null, limit);
  if (!rows.length) return 0;
  const users = await recipients(db, rows);
  const mails: Mail[] = [];
  for (const n of rows) {
    const u = users.get(n.user_id);
    if (!u || !(await stillReadable(db, n))) continue;
    const t = getT(u.locale);
    const text = noticeLine(t, n);
    if (!text || !isNotificationType(n.type)) continue;
    mails.push({
      to: u.email,
      subject: text.slice(0, 150),
      text: [
        text,
        n.url ? `${baseUrl()}${n.url}` : '',
        '',
        t('community.mail.footer'),
        `${t('community.mail.unsubscribeType')} ${unsubscribeUrl(n.user_id, n.type)}`,
        `${t('community.mail.settings')} ${baseUrl()}/account/notifications`,
      ]
        .filter((x, i) => i !== 1 || x)
        .join('\n'),
    });
  }
  return deliver(db, mails, rows, now);
}

/** Midnight in Vietnam today: a digest holds the notices of the days before. */
export function digestCutoff(now: Date): string {
  return new Date(`${todayInVietnam(now)}T00:00:00+07:00`).toISOString();
}

/** Sends one digest per member with every digest-mode notice from before today (Vietnam time). */
export async function sendDailyDigests(db: DB, now = new Date(), limit = 5000): Promise<number> {
  const rows = await claim(db, 'digest', digestCutoff(now), limit);
  if (!rows.length) return 0;
  const byUser = new Map<string, ClaimedNotice[]>();
  for (const r of rows) byUser.set(r.user_id, [...(byUser.get(r.user_id) ?? []), r]);
  const users = await recipients(db, rows);
  const mails: Mail[] = [];
  for (const [userId, items] of byUser) {
    const u = users.get(userId);
    if (!u) continue;
    const t = getT(u.locale);
    const lines: string[] = [];
    for (const n of items) {
      if (!(await stillReadable(db, n))) continue;
      const text = noticeLine(t, n);
      if (text) lines.push(`• ${text}${n.url ? `\n  ${baseUrl()}${n.url}` : ''}`);
    }
    if (!lines.length) continue;
    mails.push({
      to: u.email,
      subject: t('community.mail.digestSubject', { count: lines.length }),
      text: [
        t('community.mail.digestIntro'),
        '',
        ...lines,
        '',
        t('community.mail.footer'),
        `${t('community.mail.unsubscribeAll')} ${unsubscribeUrl(userId, 'all')}`,
        `${t('community.mail.settings')} ${baseUrl()}/account/notifications`,
      ].join('\n'),
    });
  }
  return deliver(db, mails, rows, now);
}

/** Mails waiting, by state (pending: next send run; sending: claimed; digest: next daily digest), for the metrics. */
export async function mailQueueDepth(db: DB): Promise<Array<{ state: string; n: number }>> {
  const rows = await db
    .selectFrom('notif_notifications')
    .select(['email', (eb) => eb.fn.countAll().as('n')])
    .where('email', 'in', ['pending', 'sending', 'digest'])
    .groupBy('email')
    .execute();
  const by = new Map<string, number>(rows.map((r) => [r.email, Number(r.n)]));
  return ['pending', 'sending', 'digest'].map((state) => ({ state, n: by.get(state) ?? 0 }));
}
