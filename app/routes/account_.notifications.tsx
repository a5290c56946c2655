import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, useLoaderData } from '@remix-run/react';

import { PushToggle } from '~/components/notifications/PushToggle';
import type { EmailMode } from '~/db/schema';
import { emailPreferences, setEmailPreferences } from '~/domain/notifications/notify.server';
import { pushConfig, pushDeviceCount } from '~/domain/notifications/push.server';
import { CONFIGURABLE_TYPES, type NotificationType } from '~/domain/notifications/types';
import { prefsSchema } from '~/forms/community';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { requireUser } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';
import { redirectWithFlash } from '~/lib/flash.server';
import { parseForm } from '~/lib/forms.server';
import { badRequest } from '~/lib/http.server';
import styles from '~/styles/community.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? '' }];

const MODES: EmailMode[] = ['immediate', 'digest', 'never'];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const prefs = await emailPreferences(getDb(), user.id);
  const cfg = pushConfig();
  const push = cfg ? { publicKey: cfg.publicKey, devices: await pushDeviceCount(getDb(), user.id) } : null;
  return json({ title: getT(detectLocale(request))('community.settings.title'), prefs, push });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const r = parseForm(prefsSchema, await request.formData());
  if (!r.ok) return badRequest({ ok: false as const });
  const chosen: Partial<Record<NotificationType, EmailMode>> = {};
  for (const type of CONFIGURABLE_TYPES) {
    const v = r.data[type];
    if (v === 'immediate' || v === 'digest' || v === 'never') chosen[type] = v;
  }
  await setEmailPreferences(getDb(), user.id, chosen);
  return redirectWithFlash('/account/notifications', { message: 'community.flash.prefsSaved' });
}

const TYPE_KEYS = {
  'community.reply': 'community.types.reply',
  'community.mention': 'community.types.mention',
  'community.moderation': 'community.types.moderation',
  'clubs.reminder': 'clubs.types.reminder',
  'clubs.promoted': 'clubs.types.promoted',
  'clubs.poll_opened': 'clubs.types.pollOpened',
  'clubs.poll_closed': 'clubs.types.pollClosed',
  'clubs.milestone': 'clubs.types.milestone',
  'clubs.pair_invite': 'clubs.types.pairInvite',
  'clubs.challenge_finished': 'clubs.types.challengeFinished',
  'honours.submitted': 'honours.types.submitted',
  'honours.approved': 'honours.types.approved',
  'honours.returned': 'honours.types.returned',
  'honours.revoked': 'honours.types.revoked',
  'honours.awarded': 'honours.types.awarded',
} as const;
const MODE_KEYS = { immediate: 'community.modes.immediate', digest: 'community.modes.digest', never: 'community.modes.never' } as const;

export default function NotificationSettings() {
  const { prefs, push } = useLoaderData<typeof loader>();
  const { t } = useT();
  return (
    <>
      <h1>{t('community.settings.title')}</h1>
      <p className="muted">{t('community.settings.intro')}</p>
      <Form method="post" className="card">
        {prefs.map((p) => (
          <fieldset key={p.type} className="modes">
            <legend>{p.type in TYPE_KEYS ? t(TYPE_KEYS[p.type as keyof typeof TYPE_KEYS]) : p.type}</legend>
            {MODES.map((m) => (
              <label key={m}>
                <input type="radio" name={p.type} value={m} defaultChecked={p.mode === m} />
                {t(MODE_KEYS[m])}
              </label>
            ))}
          </fieldset>
        ))}
        <p className="actions">
          <button type="submit" className="primary">
            {t('community.settings.save')}
          </button>
        </p>
      </Form>
      {push ? <PushToggle publicKey={push.publicKey} devices={push.devices} /> : null}
    </>
  );
}
