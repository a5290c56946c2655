import { useEffect, useState } from 'react';

import { useT } from '~/i18n/i18n';
import { formatDate, formatDateTime } from '~/lib/dates-format';

/** Days, hours and minutes until the opening; rendered by the server, ticking once hydrated. */
export function Countdown({ to, serverNow }: { to: string; serverNow: string }) {
  const { t } = useT();
  const [now, setNow] = useState(() => new Date(serverNow).getTime());
  useEffect(() => {
    setNow(Date.now());
    const id = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(id);
  }, []);
  const ms = new Date(to).getTime() - now;
  if (ms <= 0) return null;
  const days = Math.floor(ms / 86_400_000);
  const hours = Math.floor((ms % 86_400_000) / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  return (
    <div>
      <p className="visually-hidden" aria-live="off">
        {t('weeks.countdown.label')}
      </p>
      <ul className="countdown" aria-label={t('weeks.countdown.label')}>
        <li>
          <strong>{days}</strong> {t('weeks.countdown.days')}
        </li>
        <li>
          <strong>{hours}</strong> {t('weeks.countdown.hours')}
        </li>
        <li>
          <strong>{minutes}</strong> {t('weeks.countdown.minutes')}
        </li>
      </ul>
    </div>
  );
}

export function DateRange({ from, to }: { from: string; to: string }) {
  return (
    <>
      <time dateTime={from}>{formatDate(from)}</time> – <time dateTime={to}>{formatDate(to)}</time>
    </>
  );
}

export function DateTime({ iso }: { iso: string }) {
  return <time dateTime={iso}>{formatDateTime(iso)}</time>;
}

/** YouTube and Facebook video links become players; anything else stays a link. */
export function livestreamEmbedUrl(url: string): string | null {
  try {
    const u = new URL(url);
    if (u.hostname.endsWith('youtube.com')) {
      const id = u.searchParams.get('v') ?? (u.pathname.startsWith('/live/') ? u.pathname.split('/')[2] : null);
      return id ? `https://www.youtube-nocookie.com/embed/${id}` : u.pathname.startsWith('/embed/') ? url : null;
    }
    if (u.hostname === 'youtu.be') return `https://www.youtube-nocookie.com/embed${u.pathname}`;
    if (u.hostname.endsWith('facebook.com')) return `https://www.facebook.com/plugins/video.php?href=${encodeURIComponent(url)}`;
    return null;
  } catch {
    return null;
  }
}

export function Livestream({ url, title }: { url: string; title: string }) {
  const { t } = useT();
  const embed = livestreamEmbedUrl(url);
  return (
    <div className="stack">
      {embed ? (
        <div className="video-embed">
          <iframe src={embed} title={title} loading="lazy" allow="autoplay; encrypted-media; picture-in-picture" allowFullScreen />
        </div>
      ) : null}
      <p>
        <a href={url} rel="noopener noreferrer" target="_blank">
          {t('weeks.watchLivestream')}
        </a>
      </p>
    </div>
  );
}
