/**
 * Recording an entry in the browser (issue #15): MediaRecorder on the microphone (and camera for a
 * video round), a 3-2-1 countdown announced in a live region, a level meter, the passage in large
 * type while recording, stop (or the round's maximum length), listen back, record again. The
 * finished recording is handed to the form as a File (`onRecording`), which uploads it with the
 * resumable uploader. Rendered only after hydration: without JavaScript the file field is the way.
 */
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';

import { useT } from '~/i18n/i18n';

type Phase = 'idle' | 'countdown' | 'recording' | 'recorded' | 'denied';

export interface RecorderProps {
  kind: 'audio' | 'video';
  minSeconds: number;
  maxSeconds: number;
  passageTitle: string;
  passageText: string;
  onRecording: (file: File | null) => void;
}

function pickMime(video: boolean): string | undefined {
  const candidates = video
    ? ['video/webm;codecs=vp8,opus', 'video/webm', 'video/mp4']
    : ['audio/webm;codecs=opus', 'audio/webm', 'audio/ogg;codecs=opus', 'audio/mp4'];
  return candidates.find((m) => MediaRecorder.isTypeSupported(m));
}

function extOf(mime: string): string {
  return mime.includes('mp4') ? 'mp4' : mime.includes('ogg') ? 'ogg' : 'webm';
}

const noSubscribe = () => () => undefined;

export function Recorder({ kind, minSeconds, maxSeconds, passageTitle, passageText, onRecording }: RecorderProps) {
  const { t } = useT();
  const video = kind === 'video';
  const [phase, setPhase] = useState<Phase>('idle');
  const [count, setCount] = useState(3);
  const [elapsed, setElapsed] = useState(0);
  const [level, setLevel] = useState(0);
  const [url, setUrl] = useState<string | null>(null);
  const [seconds, setSeconds] = useState(0);
  const [autoStopped, setAutoStopped] = useState(false);

  const streamRef = useRef<MediaStream | null>(null);
  const recRef = useRef<MediaRecorder | null>(null);
  const audioCtxRef = useRef<AudioContext | null>(null);
  const timersRef = useRef<number[]>([]);
  const rafRef = useRef<number | null>(null);
  const startedAtRef = useRef(0);
  const previewRef = useRef<HTMLVideoElement | null>(null);
  const stopRef = useRef<HTMLButtonElement | null>(null);
  const readyRef = useRef<HTMLParagraphElement | null>(null);
  const urlRef = useRef<string | null>(null);

  const supported = useSyncExternalStore(
    noSubscribe,
    () => typeof window.MediaRecorder !== 'undefined' && !!navigator.mediaDevices?.getUserMedia,
    () => true,
  );

  const release = useCallback(() => {
    for (const id of timersRef.current) window.clearInterval(id);
    timersRef.current = [];
    if (rafRef.current != null) cancelAnimationFrame(rafRef.current);
    rafRef.current = null;
    for (const tr of streamRef.current?.getTracks() ?? []) tr.stop();
    streamRef.current = null;
    void audioCtxRef.current?.close().catch(() => undefined);
    audioCtxRef.current = null;
    setLevel(0);
  }, []);

  useEffect(
    () => () => {
      release();
      if (urlRef.current) URL.revokeObjectURL(urlRef.current);
    },
    [release],
  );

  useEffect(() => {
    if (phase === 'recording') stopRef.current?.focus();
    if (phase === 'recorded') readyRef.current?.focus();
  }, [phase]);

  const stop = useCallback((auto = false) => {
    setAutoStopped(auto);
    const rec = recRef.current;
    if (rec && rec.state !== 'inactive') rec.stop();
  }, []);

  const begin = useCallback(
    (stream: MediaStream) => {
      const mime = pickMime(video);
      const rec = new MediaRecorder(stream, mime ? { mimeType: mime } : undefined);
      recRef.current = rec;
      const chunks: Blob[] = [];
      rec.ondataavailable = (e) => {
        if (e.data.size > 0) chunks.push(e.data);
      };
      rec.onstop = () => {
        const took = (Date.now() - startedAtRef.current) / 1000;
        release();
        const type = (rec.mimeType || mime || (video ? 'video/webm' : 'audio/webm')).split(';')[0]!;
        const file = new File(chunks, `recording-${Date.now()}.${extOf(type)}`, { type });
        if (urlRef.current) URL.revokeObjectURL(urlRef.current);
        const u = URL.createObjectURL(file);
        urlRef.current = u;
        setUrl(u);
        setSeconds(Math.round(took));
        setPhase('recorded');
        onRecording(file);
      };
      startedAtRef.current = Date.now();
      rec.start(1000);
      setElapsed(0);
      setPhase('recording');
      timersRef.current.push(
        window.setInterval(() => {
          const s = (Date.now() - startedAtRef.current) / 1000;
          setElapsed(Math.floor(s));
          if (s >= maxSeconds) stop(true);
        }, 250),
      );
    },
    [maxSeconds, onRecording, release, stop, video],
  );

  const start = useCallback(async () => {
    if (urlRef.current) URL.revokeObjectURL(urlRef.current);
    urlRef.current = null;
    setUrl(null);
    setAutoStopped(false);
    onRecording(null);
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: video ? { width: 640, height: 480 } : false });
    } catch {
      setPhase('denied');
      return;
    }
    streamRef.current = stream;
    if (video && previewRef.current) {
      previewRef.current.srcObject = stream;
      void previewRef.current.play().catch(() => undefined);
    }
    // The level meter: RMS of the microphone, about ten times a second.
    try {
      const ctx = new AudioContext();
      audioCtxRef.current = ctx;
      const analyser = ctx.createAnalyser();
      analyser.fftSize = 1024;
      ctx.createMediaStreamSource(stream).connect(analyser);
      const buf = new Uint8Array(analyser.fftSize);
      let last = 0;
      const tick = (ts: number) => {
        if (ts - last > 100) {
          last = ts;
          analyser.getByteTimeDomainData(buf);
          let sum = 0;
          for (const v of buf) sum += ((v - 128) / 128) ** 2;
          setLevel(Math.min(1, Math.sqrt(sum / buf.length) * 3));
        }
        rafRef.current = requestAnimationFrame(tick);
      };
      rafRef.current = requestAnimationFrame(tick);
    } catch {
      /* no Web Audio: recording still works, without the meter */
    }
    setCount(3);
    setPhase('countdown');
    let n = 3;
    const id = window.setInterval(() => {
      n -= 1;
      if (n > 0) setCount(n);
      else {
        window.clearInterval(id);
        timersRef.current = timersRef.current.filter((x) => x !== id);
        begin(stream);
      }
    }, 1000);
    timersRef.current.push(id);
  }, [begin, onRecording, video]);

  const discard = () => {
    if (urlRef.current) URL.revokeObjectURL(urlRef.current);
    urlRef.current = null;
    setUrl(null);
    onRecording(null);
    setPhase('idle');
  };

  if (!supported)
    return (
      <section className="card recorder" aria-labelledby="recorder-h">
        <h3 id="recorder-h">{video ? t('contests.recorder.titleVideo') : t('contests.recorder.titleAudio')}</h3>
        <p role="status">{t('contests.recorder.unsupported')}</p>
      </section>
    );
  const live = phase === 'countdown' || phase === 'recording';
  const status =
    phase === 'countdown'
      ? t('contests.recorder.countdown', { n: count })
      : phase === 'recording'
        ? t('contests.recorder.recording', { elapsed, max: maxSeconds })
        : phase === 'denied'
          ? t('contests.recorder.denied')
          : '';

  return (
    <section className="card recorder" aria-labelledby="recorder-h">
      <h3 id="recorder-h">{video ? t('contests.recorder.titleVideo') : t('contests.recorder.titleAudio')}</h3>
      <p className="hint">{t('contests.recorder.intro')}</p>
      <p className="recorder-status" role="status" aria-live="assertive" aria-atomic="true">
        {status}
      </p>
      {live ? (
        <>
          <div className="recorder-meter">
            <label htmlFor="recorder-level">{t('contests.recorder.level')}</label>
            <meter id="recorder-level" min={0} max={1} low={0.1} high={0.8} optimum={0.5} value={level} />
          </div>
          {passageText ? (
            <div className="passage-recording" aria-label={passageTitle || t('contests.entries.submit.passage')} role="region">
              {passageText.split(/\n{2,}/).map((para, i) => (
                <p key={i}>{para}</p>
              ))}
            </div>
          ) : null}
        </>
      ) : null}
      {video ? (
        <video ref={previewRef} className="entry-video" muted playsInline hidden={!live} aria-label={t('contests.recorder.preview')} />
      ) : null}
      {phase === 'recorded' && url ? (
        <div className="stack">
          <p ref={readyRef} tabIndex={-1}>
            {autoStopped ? `${t('contests.recorder.autoStopped')} ` : null}
            {seconds < minSeconds
              ? t('contests.recorder.tooShort', { seconds, min: minSeconds })
              : t('contests.recorder.ready', { seconds })}
          </p>
          {video ? (
            <video controls src={url} className="entry-video" aria-label={t('contests.recorder.listen')} />
          ) : (
            <audio controls src={url} aria-label={t('contests.recorder.listen')} />
          )}
        </div>
      ) : null}
      <div className="actions">
        {phase === 'idle' || phase === 'denied' ? (
          <button type="button" className="button" onClick={() => void start()}>
            {t('contests.recorder.start')}
          </button>
        ) : null}
        {phase === 'recording' ? (
          <button type="button" className="button" ref={stopRef} onClick={() => stop(false)}>
            {t('contests.recorder.stop')}
          </button>
        ) : null}
        {phase === 'recorded' ? (
          <>
            <button type="button" className="button secondary" onClick={() => void start()}>
              {t('contests.recorder.rerecord')}
            </button>
            <button type="button" className="button secondary" onClick={discard}>
              {t('contests.recorder.discard')}
            </button>
          </>
        ) : null}
      </div>
    </section>
  );
}
