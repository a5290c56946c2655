import type HlsInstance from 'hls.js';
import { useEffect, useRef, useState } from 'react';

import { useT } from '~/i18n/i18n';

export interface PlayerChapter {
  start: number;
  title: string;
}

export interface VideoPlayerProps {
  id: string;
  title: string;
  kind: 'video' | 'audio';
  src: { src: string; type: string } | null;
  hlsUrl: string | null;
  captionsUrl: string | null;
  captionsLang?: string;
  chapters: PlayerChapter[];
  poster?: string | null;
  /** Where to resume (seconds). */
  startAt?: number;
  /** POST target for progress, or null when nobody is signed in. */
  progressUrl: string | null;
  mux: { envKey: string; theme: string | null } | null;
  viewerId?: string | null;
}

const SPEEDS = [0.75, 1, 1.25, 1.5, 2];

function clock(s: number) {
  const t = Math.max(0, Math.floor(s));
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const ss = String(t % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/**
 * The native HTML5 player (keyboard accessible by itself) with captions, chapters, speed and
 * saved progress. mux-embed is imported only when a key is configured, so without one no Mux
 * code is ever downloaded.
 */
export function VideoPlayer(p: VideoPlayerProps) {
  const { t, locale } = useT();
  const ref = useRef<HTMLVideoElement & HTMLAudioElement>(null);
  const [speed, setSpeed] = useState(1);
  const [status, setStatus] = useState<string>('');
  const lastSent = useRef(0);

  // HLS: native on Safari/Android; elsewhere (desktop Chromium, Firefox) hls.js via Media Source
  // Extensions, loaded on demand only when this player needs it (its own chunk, never the root
  // bundle). Without JavaScript the <source> below still plays where HLS is native.
  const hlsOnly = !p.src && !!p.hlsUrl && p.kind === 'video';
  useEffect(() => {
    const el = ref.current;
    const hlsUrl = p.hlsUrl;
    if (!el || !hlsOnly || !hlsUrl) return;
    if (el.canPlayType('application/vnd.apple.mpegurl') !== '') return;
    let cancelled = false;
    let hls: HlsInstance | null = null;
    void import('hls.js')
      .then(({ default: Hls }) => {
        if (cancelled || !Hls.isSupported()) return;
        hls = new Hls({ enableWorker: true });
        let recovered = false;
        hls.on(Hls.Events.ERROR, (_e, data) => {
          if (!data.fatal || !hls) return;
          // hls.js has already retried network errors by its own policy; a media error gets one
          // recovery attempt. Otherwise give up and leave the native controls' error state.
          if (data.type === Hls.ErrorTypes.MEDIA_ERROR && !recovered) {
            recovered = true;
            hls.recoverMediaError();
          } else {
            hls.destroy();
            hls = null;
          }
        });
        hls.loadSource(hlsUrl);
        hls.attachMedia(el);
        el.dataset.hls = 'hlsjs';
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
      hls?.destroy();
      hls = null;
      delete el.dataset.hls;
    };
  }, [hlsOnly, p.hlsUrl]);

  // Resume and progress saving.
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const resume = () => {
      if (p.startAt && p.startAt > 1 && (!el.duration || p.startAt < el.duration - 2)) el.currentTime = p.startAt;
    };
    if (el.readyState >= 1) resume();
    else el.addEventListener('loadedmetadata', resume, { once: true });
    if (!p.progressUrl) return;
    const url = p.progressUrl;
    const send = (force = false) => {
      const now = Date.now();
      if (!force && now - lastSent.current < 5000) return;
      lastSent.current = now;
      const body = new URLSearchParams({ position: String(el.currentTime), duration: String(el.duration || '') });
      void fetch(url, { method: 'POST', body, headers: { Accept: 'application/json' }, keepalive: true })
        .then((r) => (r.ok ? r.json() : null))
        .then((d: { completed?: boolean } | null) => {
          if (d?.completed) setStatus('completed');
        })
        .catch(() => undefined);
    };
    const onTime = () => send(false);
    const onStop = () => send(true);
    el.addEventListener('timeupdate', onTime);
    el.addEventListener('pause', onStop);
    el.addEventListener('ended', onStop);
    const onHide = () => send(true);
    window.addEventListener('pagehide', onHide);
    return () => {
      el.removeEventListener('timeupdate', onTime);
      el.removeEventListener('pause', onStop);
      el.removeEventListener('ended', onStop);
      window.removeEventListener('pagehide', onHide);
    };
  }, [p.progressUrl, p.startAt]);

  // Mux Data monitoring: dynamic import only when configured.
  useEffect(() => {
    const el = ref.current;
    if (!el || !p.mux) return;
    let cancelled = false;
    const initTime = Date.now();
    void import('mux-embed').then((m) => {
      if (cancelled) return;
      const mux = m.default;
      mux.monitor(el, {
        debug: false,
        data: {
          env_key: p.mux!.envKey,
          player_name: 'llw-html5',
          player_init_time: initTime,
          video_id: p.id,
          video_title: p.title,
          viewer_user_id: p.viewerId ?? undefined,
          custom_1: p.mux!.theme ?? undefined,
        },
      });
    });
    return () => {
      cancelled = true;
    };
  }, [p.mux, p.id, p.title, p.viewerId]);

  useEffect(() => {
    if (!ref.current) return;
    // Also the default: loading a source (hls.js attaching) resets playbackRate to it.
    ref.current.defaultPlaybackRate = speed;
    ref.current.playbackRate = speed;
  }, [speed]);

  const seek = (s: number) => {
    const el = ref.current;
    if (!el) return;
    el.currentTime = s;
    void el.play().catch(() => undefined);
  };

  const Tag = p.kind === 'audio' ? 'audio' : 'video';
  return (
    <div className="oer-player">
      <Tag
        ref={ref}
        controls
        preload="metadata"
        playsInline
        poster={p.kind === 'video' ? (p.poster ?? undefined) : undefined}
        aria-label={t('oer.player.label', { title: p.title })}
        data-testid="oer-media"
        crossOrigin={undefined}
      >
        {p.src ? <source src={p.src.src} type={p.src.type || undefined} /> : null}
        {p.hlsUrl ? <source src={p.hlsUrl} type="application/vnd.apple.mpegurl" /> : null}
        {p.captionsUrl ? (
          <track kind="captions" src={p.captionsUrl} srcLang={p.captionsLang ?? 'vi'} label={t('oer.player.captions')} default />
        ) : null}
        <p>
          {t('oer.player.noSupport')} {p.src ? <a href={p.src.src}>{t('oer.player.download')}</a> : null}
        </p>
      </Tag>
      <div className="oer-player-bar">
        <label>
          {t('oer.player.speed')}{' '}
          <select value={speed} onChange={(e) => setSpeed(Number(e.target.value))} data-testid="oer-speed">
            {SPEEDS.map((s) => (
              <option key={s} value={s}>
                {s.toLocaleString(locale === 'vi' ? 'vi-VN' : 'en-GB')}×
              </option>
            ))}
          </select>
        </label>
        {p.startAt && p.startAt > 1 ? <span className="muted">{t('oer.player.resumed', { time: clock(p.startAt) })}</span> : null}
        <span role="status" className="muted">
          {status === 'completed' ? t('oer.player.completed') : ''}
        </span>
      </div>
      {p.chapters.length ? (
        <nav aria-label={t('oer.player.chapters')} className="oer-chapters">
          <h3>{t('oer.player.chapters')}</h3>
          <ol>
            {p.chapters.map((c) => (
              <li key={`${c.start}-${c.title}`}>
                <button type="button" className="linklike" onClick={() => seek(c.start)}>
                  <span className="oer-chapter-time">{clock(c.start)}</span> {c.title}
                </button>
              </li>
            ))}
          </ol>
        </nav>
      ) : null}
    </div>
  );
}
