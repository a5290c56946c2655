import nodemailer from 'nodemailer';

import { writeTransaction } from '~/db/dialect';

import type { DB } from './db.server';
import { getEnv } from './env.server';
import { newId, nowIso } from './ids.server';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

let transport: nodemailer.Transporter | null | undefined;

function getTransport(): nodemailer.Transporter | null {
  if (transport === undefined) {
    const url = getEnv().SMTP_URL;
    transport = url ? nodemailer.createTransport(url) : null;
  }
  return transport;
}

/**
 * The one way mail leaves the platform. Every message is recorded in `outbox`; with SMTP_URL
 * it is sent, otherwise (development) it is written to the server log so that a developer can
 * follow links such as password resets.
 */
export async function sendMail(db: DB, mail: Mail): Promise<void> {
  await sendMails(db, [mail]);
}

/**
 * Several messages with two write transactions in all, whatever their number: the outbox rows
 * before delivery, every outcome (logged, sent, failed) after it, with `after` — e.g. marking
 * the notices they carry as emailed — in that second transaction. One autocommit per message
 * (three writes each) held SQLite's write lock for an fsync each and, at scale, stalled posting
 * behind the mail job (issue 12's bench: ~6 commits a reply's two followers' mails).
 */
export async function sendMails(db: DB, mails: Mail[], after?: (trx: DB) => Promise<void>): Promise<void> {
  if (!mails.length) {
    if (after) await writeTransaction(db, after);
    return;
  }
  const created = nowIso();
  const rows = mails.map((mail) => ({
    id: newId(),
    to_address: mail.to,
    subject: mail.subject,
    body_text: mail.text,
    status: 'pending' as const,
    error: null,
    created_at: created,
    sent_at: null,
  }));
  await writeTransaction(db, async (trx) => {
    // Within SQLite's and PostgreSQL's limits on bound values (8 a row).
    for (let i = 0; i < rows.length; i += 500)
      await trx
        .insertInto('outbox')
        .values(rows.slice(i, i + 500))
        .execute();
  });
  const t = getTransport();
  const done: string[] = [];
  const failed: Array<{ id: string; error: string }> = [];
  for (const [i, mail] of mails.entries()) {
    const id = rows[i]!.id;
    if (!t) {
      if (getEnv().APP_ENV !== 'test') console.info(`[mail] to=${mail.to} subject=${mail.subject}\n${mail.text}`);
      done.push(id);
      continue;
    }
    try {
      await t.sendMail({ from: getEnv().MAIL_FROM, to: mail.to, subject: mail.subject, text: mail.text });
      done.push(id);
    } catch (e) {
      // Kept in the outbox as failed so an operator can see and resend; the user flow goes on.
      failed.push({ id, error: String(e) });
      console.error(`[mail] sending to ${mail.to} failed`, e);
    }
  }
  await writeTransaction(db, async (trx) => {
    const at = nowIso();
    for (let i = 0; i < done.length; i += 500)
      await trx
        .updateTable('outbox')
        .set({ status: t ? 'sent' : 'logged', sent_at: at })
        .where('id', 'in', done.slice(i, i + 500))
        .execute();
    for (const f of failed) await trx.updateTable('outbox').set({ status: 'failed', error: f.error }).where('id', '=', f.id).execute();
    if (after) await after(trx);
  });
}
