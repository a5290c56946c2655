/**
 * Turns web push on or off in this browser (account → notifications). Push exists only in a
 * browser running JavaScript with a service worker, so the server-rendered page says so and the
 * buttons appear once the script has checked what this browser can do.
 */
import { useFetcher } from '@remix-run/react';
import { useEffect, useState } from 'react';

import { useT } from '~/i18n/i18n';

type State = 'checking' | 'unsupported' | 'denied' | 'on' | 'off' | 'busy' | 'failed';

function keyBytes(base64url: string): ArrayBuffer {
  const b64 = base64url.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (base64url.length % 4)) % 4);
  const raw = atob(b64);
  const out = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out.buffer;
}

async function registration(): Promise<ServiceWorkerRegistration> {
  const existing = await navigator.serviceWorker.getRegistration('/');
  if (!existing) await navigator.serviceWorker.register('/sw.js');
  return navigator.serviceWorker.ready;
}

/** What this browser can do, and whether push is on in it already. */
async function detect(): Promise<State> {
  if (!('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window)) return 'unsupported';
  if (Notification.permission === 'denied') return 'denied';
  try {
    const reg = await registration();
    return (await reg.pushManager.getSubscription()) ? 'on' : 'off';
  } catch {
    return 'unsupported';
  }
}

export function PushToggle({ publicKey, devices }: { publicKey: string; devices: number }) {
  const { t } = useT();
  const fetcher = useFetcher<{ ok: boolean }>();
  const [state, setState] = useState<State>('checking');

  useEffect(() => {
    let live = true;
    void detect().then((s) => live && setState(s));
    return () => {
      live = false;
    };
  }, []);

  async function turnOn() {
    setState('busy');
    try {
      const permission = await Notification.requestPermission();
      if (permission !== 'granted') {
        setState(permission === 'denied' ? 'denied' : 'off');
        return;
      }
      const reg = await registration();
      const sub = await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(publicKey) });
      const json = sub.toJSON();
      fetcher.submit(
        { intent: 'subscribe', endpoint: sub.endpoint, p256dh: json.keys?.p256dh ?? '', auth: json.keys?.auth ?? '' },
        { method: 'post', action: '/notifications/push' },
      );
      setState('on');
    } catch {
      setState('failed');
    }
  }

  async function turnOff() {
    setState('busy');
    try {
      const reg = await registration();
      const sub = await reg.pushManager.getSubscription();
      if (sub) {
        fetcher.submit({ intent: 'unsubscribe', endpoint: sub.endpoint }, { method: 'post', action: '/notifications/push' });
        await sub.unsubscribe();
      }
      setState('off');
    } catch {
      setState('failed');
    }
  }

  const failed = state === 'failed' || (fetcher.state === 'idle' && fetcher.data && !fetcher.data.ok);
  return (
    <section className="card" aria-labelledby="push-h">
      <h2 id="push-h">{t('community.push.heading')}</h2>
      <p className="muted">{t('community.push.intro')}</p>
      {devices > 0 ? <p>{t('community.push.devices', { count: devices })}</p> : null}
      <div role="status">
        {state === 'checking' ? <p>{t('community.push.needsJs')}</p> : null}
        {state === 'unsupported' ? <p>{t('community.push.unsupported')}</p> : null}
        {state === 'denied' ? <p>{t('community.push.denied')}</p> : null}
        {state === 'on' ? <p>{t('community.push.on')}</p> : null}
        {state === 'off' ? <p>{t('community.push.off')}</p> : null}
        {failed ? <p className="error">{t('community.push.failed')}</p> : null}
      </div>
      <p className="actions">
        {state === 'off' || state === 'failed' ? (
          <button type="button" className="primary" onClick={() => void turnOn()}>
            {t('community.push.enable')}
          </button>
        ) : null}
        {state === 'on' ? (
          <button type="button" onClick={() => void turnOff()}>
            {t('community.push.disable')}
          </button>
        ) : null}
      </p>
    </section>
  );
}
