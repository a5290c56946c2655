import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useCallback, useEffect, useRef, useState } from 'react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { canReadTitle, isOpenAccess } from '~/domain/library/circulation.server';
import { getPosition, listAnnotations, recordOpened } from '~/domain/library/reading.server';
import { getTitleBySlug } from '~/domain/library/titles.server';
import { useT } from '~/i18n/i18n';
import { getUser } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';
import { forbidden, notFound } from '~/lib/http.server';
import styles from '~/styles/library.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.book.title }] : []);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const title = await getTitleBySlug(db, params.slug ?? '');
  if (!title || !title.file_path) notFound();
  const user = await getUser(request);
  if (!(await canReadTitle(db, user?.id ?? null, title.id))) forbidden();
  if (user) await recordOpened(db, user.id, title.id);
  const [position, annotations, open] = await Promise.all([
    user ? getPosition(db, user.id, title.id) : undefined,
    user ? listAnnotations(db, user.id, title.id) : [],
    isOpenAccess(db, title.id),
  ]);
  return json(
    {
      book: { slug: title.slug, title: title.title, author: title.author },
      fileUrl: `/library/${title.slug}/file`,
      position: position?.cfi ?? null,
      annotations: annotations.map((a) => ({ id: a.id, kind: a.kind, cfi: a.cfi, excerpt: a.excerpt, note: a.note })),
      signedIn: !!user,
      openAccess: open,
    },
    { headers: { 'Cache-Control': 'private, no-store' } },
  );
}

type Toc = Array<{ href: string; label: string }>;
type Theme = 'light' | 'sepia' | 'dark';
const THEMES: Record<Theme, Record<string, Record<string, string>>> = {
  light: { body: { background: '#ffffff', color: '#1a1a1a' } },
  sepia: { body: { background: '#f4ecd8', color: '#3b2f1e' } },
  dark: { body: { background: '#1d1d1d', color: '#e8e8e8' }, a: { color: '#9ad' } },
};

async function post(slug: string, data: Record<string, string>) {
  const body = new FormData();
  for (const [k, v] of Object.entries(data)) body.set(k, v);
  const res = await fetch(`/library/${slug}/annotate`, { method: 'POST', body, credentials: 'same-origin' });
  return res.ok ? ((await res.json()) as { ok: boolean; id?: string }) : null;
}

export default function Reader() {
  const d = useLoaderData<typeof loader>();
  const { t } = useT();
  const viewRef = useRef<HTMLDivElement>(null);
  // epubjs objects are untyped here on purpose: the library ships loose types and loads only on this route.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const renditionRef = useRef<any>(null);
  const [toc, setToc] = useState<Toc>([]);
  const [chapter, setChapter] = useState<string>('');
  const [status, setStatus] = useState<'loading' | 'ready' | 'error'>('loading');
  const [fontSize, setFontSize] = useState(110);
  const [theme, setTheme] = useState<Theme>('light');
  const [selection, setSelection] = useState<{ cfi: string; text: string } | null>(null);
  const [note, setNote] = useState('');
  const [annotations, setAnnotations] = useState(d.annotations);
  const [speaking, setSpeaking] = useState(false);
  const [savedAt, setSavedAt] = useState<string | null>(null);
  const hasSpeech = typeof window !== 'undefined' && 'speechSynthesis' in window;

  useEffect(() => {
    let destroyed = false;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    let book: any = null;
    let saveTimer: ReturnType<typeof setTimeout> | undefined;
    (async () => {
      try {
        const [{ default: ePub }, res] = await Promise.all([import('epubjs'), fetch(d.fileUrl, { credentials: 'same-origin' })]);
        if (!res.ok) throw new Error(`file ${res.status}`);
        const buf = await res.arrayBuffer();
        if (destroyed || !viewRef.current) return;
        book = ePub(buf);
        const rendition = book.renderTo(viewRef.current, {
          width: '100%',
          height: '100%',
          flow: 'paginated',
          spread: 'none',
          allowScriptedContent: false,
        });
        renditionRef.current = rendition;
        for (const [name, rules] of Object.entries(THEMES)) rendition.themes.register(name, rules);
        rendition.themes.select('light');
        rendition.themes.fontSize('110%');
        const nav = await book.loaded.navigation;
        const items: Toc = nav.toc.map((i: { href: string; label: string }) => ({ href: i.href, label: i.label.trim() }));
        setToc(items);
        rendition.on('relocated', (loc: { start: { cfi: string; href: string } }) => {
          const item = items.find((i) => i.href.split('#')[0] === loc.start.href);
          setChapter(item?.label ?? '');
          if (!d.signedIn) return;
          clearTimeout(saveTimer);
          saveTimer = setTimeout(() => {
            void post(d.book.slug, { intent: 'position', cfi: loc.start.cfi, label: item?.label ?? '' }).then(
              (r) => r && setSavedAt(new Date().toLocaleTimeString()),
            );
          }, 400);
        });
        rendition.on('selected', (cfiRange: string, contents: { window: Window }) => {
          setSelection({ cfi: cfiRange, text: contents.window.getSelection()?.toString().slice(0, 2000) ?? '' });
        });
        const onKey = (e: KeyboardEvent) => {
          if (e.key === 'ArrowRight') rendition.next();
          if (e.key === 'ArrowLeft') rendition.prev();
        };
        rendition.on('keyup', onKey);
        rendition.hooks.content.register((contents: { document: Document }) => {
          let x0 = 0;
          contents.document.addEventListener('touchstart', (e) => (x0 = e.changedTouches[0]?.clientX ?? 0), { passive: true });
          contents.document.addEventListener('touchend', (e) => {
            const dx = (e.changedTouches[0]?.clientX ?? 0) - x0;
            if (dx < -50) rendition.next();
            if (dx > 50) rendition.prev();
          });
        });
        await rendition.display(d.position ?? undefined);
        for (const a of d.annotations) if (a.kind === 'highlight') rendition.annotations.highlight(a.cfi, {}, undefined, 'lib-hl');
        if (!destroyed) setStatus('ready');
      } catch (e) {
        console.error(e);
        if (!destroyed) setStatus('error');
      }
    })();
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
      if (e.key === 'ArrowRight') renditionRef.current?.next();
      if (e.key === 'ArrowLeft') renditionRef.current?.prev();
    };
    window.addEventListener('keyup', onKey);
    return () => {
      destroyed = true;
      clearTimeout(saveTimer);
      window.removeEventListener('keyup', onKey);
      if (typeof window !== 'undefined' && 'speechSynthesis' in window) window.speechSynthesis.cancel();
      book?.destroy();
    };
  }, [d.fileUrl, d.position, d.signedIn, d.book.slug, d.annotations]);

  useEffect(() => {
    renditionRef.current?.themes.fontSize(`${fontSize}%`);
  }, [fontSize]);
  useEffect(() => {
    renditionRef.current?.themes.select(theme);
  }, [theme]);

  const addBookmark = useCallback(async () => {
    const loc = renditionRef.current?.currentLocation();
    const cfi = loc?.start?.cfi;
    if (!cfi) return;
    const r = await post(d.book.slug, { intent: 'bookmark', cfi, excerpt: chapter });
    if (r?.id) setAnnotations((xs) => [...xs, { id: r.id!, kind: 'bookmark', cfi, excerpt: chapter, note: null }]);
  }, [chapter, d.book.slug]);

  const addHighlight = useCallback(async () => {
    if (!selection) return;
    const r = await post(d.book.slug, { intent: 'highlight', cfi: selection.cfi, excerpt: selection.text, note });
    if (r?.id) {
      renditionRef.current?.annotations.highlight(selection.cfi, {}, undefined, 'lib-hl');
      setAnnotations((xs) => [...xs, { id: r.id!, kind: 'highlight', cfi: selection.cfi, excerpt: selection.text, note: note || null }]);
      setSelection(null);
      setNote('');
    }
  }, [selection, note, d.book.slug]);

  const readAloud = useCallback(() => {
    const synth = window.speechSynthesis;
    if (speaking) {
      synth.cancel();
      setSpeaking(false);
      return;
    }
    const contents = renditionRef.current?.getContents?.() ?? [];
    const text = contents.map((c: { document: Document }) => c.document.body.innerText).join('\n');
    if (!text.trim()) return;
    const u = new SpeechSynthesisUtterance(text);
    u.lang = 'vi-VN';
    const vi = synth.getVoices().find((v) => v.lang.toLowerCase().startsWith('vi'));
    if (vi) u.voice = vi;
    u.rate = 0.95;
    u.onend = () => setSpeaking(false);
    setSpeaking(true);
    synth.speak(u);
  }, [speaking]);

  return (
    <div className="lib-reader">
      <Breadcrumb
        items={[
          { to: '/library', label: t('library.catalogue.title') },
          { to: `/library/${d.book.slug}`, label: d.book.title },
          { label: t('library.reader.title') },
        ]}
      />
      <h1>{d.book.title}</h1>
      <noscript>
        <div className="card">
          <p>{t('library.reader.noJs')}</p>
          {d.openAccess ? (
            <p>
              <a href={d.fileUrl} className="button primary" download>
                {t('library.title.download')}
              </a>
            </p>
          ) : null}
        </div>
      </noscript>
      <div className="lib-reader-toolbar" role="toolbar" aria-label={t('library.reader.tools')}>
        <button type="button" className="secondary" onClick={() => renditionRef.current?.prev()} aria-label={t('library.reader.prev')}>
          ‹ {t('library.reader.prev')}
        </button>
        <button type="button" className="secondary" onClick={() => renditionRef.current?.next()} aria-label={t('library.reader.next')}>
          {t('library.reader.next')} ›
        </button>
        <label>
          {t('library.reader.toc')}{' '}
          <select
            value={toc.find((i) => i.label === chapter)?.href ?? ''}
            onChange={(e) => e.target.value && renditionRef.current?.display(e.target.value)}
            data-testid="toc"
          >
            <option value="">—</option>
            {toc.map((i) => (
              <option key={i.href} value={i.href}>
                {i.label}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="secondary"
          onClick={() => setFontSize((f) => Math.max(80, f - 10))}
          aria-label={t('library.reader.smaller')}
        >
          A−
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => setFontSize((f) => Math.min(200, f + 10))}
          aria-label={t('library.reader.larger')}
        >
          A+
        </button>
        <label>
          {t('library.reader.theme')}{' '}
          <select value={theme} onChange={(e) => setTheme(e.target.value as Theme)}>
            <option value="light">{t('library.reader.light')}</option>
            <option value="sepia">{t('library.reader.sepia')}</option>
            <option value="dark">{t('library.reader.dark')}</option>
          </select>
        </label>
        {hasSpeech ? (
          <button type="button" className="secondary" onClick={readAloud} aria-pressed={speaking}>
            {speaking ? t('library.reader.stopReading') : t('library.reader.readAloud')}
          </button>
        ) : null}
        {d.signedIn ? (
          <button type="button" className="secondary" onClick={addBookmark}>
            {t('library.reader.bookmark')}
          </button>
        ) : null}
      </div>
      <p aria-live="polite" className="muted" data-testid="chapter">
        {status === 'loading' ? t('library.reader.loading') : status === 'error' ? t('library.reader.error') : chapter}
        {savedAt ? ` · ${t('library.reader.saved')}` : ''}
      </p>
      <div ref={viewRef} className={`lib-reader-view ${theme}`} data-status={status} data-chapter={chapter} />
      {selection && d.signedIn ? (
        <div className="lib-reader-side">
          <p>
            <q>{selection.text.slice(0, 200)}</q>
          </p>
          <label htmlFor="hl-note">{t('library.reader.note')}</label>
          <textarea id="hl-note" value={note} onChange={(e) => setNote(e.target.value)} rows={2} maxLength={2000} />
          <div className="actions">
            <button type="button" className="primary" onClick={addHighlight}>
              {t('library.reader.highlight')}
            </button>
            <button type="button" className="secondary" onClick={() => setSelection(null)}>
              {t('library.reader.cancel')}
            </button>
          </div>
        </div>
      ) : null}
      {annotations.length > 0 ? (
        <section className="lib-reader-side" aria-labelledby="ann-h">
          <h2 id="ann-h">{t('library.notes.title')}</h2>
          <ul>
            {annotations.map((a) => (
              <li key={a.id}>
                <button type="button" className="link-button" onClick={() => renditionRef.current?.display(a.cfi)}>
                  {a.kind === 'bookmark' ? '🔖 ' : '🖍 '}
                  {a.excerpt || t('library.notes.untitled')}
                </button>
                {a.note ? <span className="muted"> — {a.note}</span> : null}
              </li>
            ))}
          </ul>
          <Link to="/library/notes">{t('library.notes.all')}</Link>
        </section>
      ) : null}
    </div>
  );
}
