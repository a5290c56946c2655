import nodemailer from 'nodemailer';

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
  const id = newId();
  await db
    .insertInto('outbox')
    .values({
      id,
      to_address: mail.to,
      subject: mail.subject,
      body_text: mail.text,
      status: 'pending',
      error: null,
      created_at: nowIso(),
      sent_at: null,
    })
    .execute();
  const t = getTransport();
  if (!t) {
    if (getEnv().APP_ENV !== 'test') console.info(`[mail] to=${mail.to} subject=${mail.subject}\n${mail.text}`);
    await db.updateTable('outbox').set({ status: 'logged', sent_at: nowIso() }).where('id', '=', id).execute();
    return;
  }
  try {
    await t.sendMail({ from: getEnv().MAIL_FROM, to: mail.to, subject: mail.subject, text: mail.text });
    await db.updateTable('outbox').set({ status: 'sent', sent_at: nowIso() }).where('id', '=', id).execute();
  } catch (e) {
    // Kept in the outbox as failed so an operator can see and resend; the user flow goes on.
    await db
      .updateTable('outbox')
      .set({ status: 'failed', error: String(e) })
      .where('id', '=', id)
      .execute();
    console.error(`[mail] sending to ${mail.to} failed`, e);
  }
}
